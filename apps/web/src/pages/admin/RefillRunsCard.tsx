import { HistoryOutlined } from '@ant-design/icons';
import { Card, Empty, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { QueryError } from '../../components/QueryError.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { formatCredits } from '../../lib/credits.ts';
import { formatDateTime, formatDuration, formatRelative } from '../../lib/format.ts';
import { testId } from '../../lib/testId.ts';
import { type RefillRun, trpc } from '../../lib/trpc.ts';

const TRIGGER_COLORS: Record<RefillRun['trigger'], string> = {
  scheduled: 'blue',
  admin: 'purple',
  cli: 'cyan',
};

/** The last 50 refill runs: who started them, when, how long, how many users and credits. */
export function RefillRunsCard() {
  const { t, locale, lookup } = useLocale();
  const runs = trpc.admin.credits.refillRuns.useQuery();
  const number = (value: number) => <span className="num">{formatCredits(value, locale)}</span>;
  const columns: TableColumnsType<RefillRun> = [
    {
      key: 'trigger',
      title: t('refillRuns.trigger'),
      render: (_, run) => (
        <Tag color={TRIGGER_COLORS[run.trigger]}>
          {lookup(`refillRuns.trigger.${run.trigger}`) ?? run.trigger}
        </Tag>
      ),
    },
    {
      key: 'started',
      title: t('refillRuns.started'),
      render: (_, run) => (
        <Tooltip title={formatRelative(run.startedAt, locale)}>
          <span className="nowrap">{formatDateTime(run.startedAt, locale)}</span>
        </Tooltip>
      ),
    },
    {
      key: 'duration',
      title: t('refillRuns.duration'),
      align: 'right',
      render: (_, run) =>
        run.finishedAt ? (
          <span className="num">
            {formatDuration(Date.parse(run.finishedAt) - Date.parse(run.startedAt), locale)}
          </span>
        ) : (
          <Tag color="processing">{t('refillRuns.running')}</Tag>
        ),
    },
    {
      key: 'scanned',
      title: t('refillRuns.scanned'),
      align: 'right',
      render: (_, r) => number(r.usersScanned),
    },
    {
      key: 'refilled',
      title: t('refillRuns.refilled'),
      align: 'right',
      render: (_, r) => number(r.usersRefilled),
    },
    {
      key: 'granted',
      title: t('refillRuns.granted'),
      align: 'right',
      render: (_, r) => number(r.creditsGranted),
    },
    {
      key: 'error',
      title: t('refillRuns.error'),
      render: (_, run) =>
        run.error ? (
          <Typography.Text type="danger" ellipsis={{ tooltip: run.error }} className="run-error">
            {run.error}
          </Typography.Text>
        ) : (
          <span className="muted">—</span>
        ),
    },
  ];
  return (
    <Card
      variant="borderless"
      title={
        <span className="card-title-icon">
          <HistoryOutlined /> {t('refillRuns.title')}
        </span>
      }
    >
      <QueryError error={runs.error} onRetry={() => void runs.refetch()} />
      <Table
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={runs.data}
        loading={runs.isPending}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        onRow={() => testId('refill-run-row')}
        locale={{
          emptyText: (
            <Empty
              image={<HistoryOutlined className="empty-icon" />}
              description={t('refillRuns.empty')}
            />
          ),
        }}
      />
    </Card>
  );
}
