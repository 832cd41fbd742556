import { Card, Empty, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { QueryError } from '../../components/QueryError.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { type RouterOutputs, trpc } from '../../lib/trpc.ts';

type OutboxMail = RouterOutputs['admin']['mail']['outbox'][number];

const STATUS_COLORS: Record<OutboxMail['status'], string> = {
  queued: 'gold',
  sent: 'green',
  failed: 'red',
  logged: 'blue',
};

/**
 * Admin → Outbox: every mail, newest first, with its text body (expand a row). Without SMTP_URL
 * this is where mails are read (status "logged"); a failed mail shows its last error.
 */
export function OutboxTab() {
  const { t, locale } = useLocale();
  const outbox = trpc.admin.mail.outbox.useQuery({ limit: 100 }, { refetchInterval: 5000 });
  const columns: TableColumnsType<OutboxMail> = [
    { key: 'to', title: t('outbox.col.to'), dataIndex: 'to' },
    { key: 'subject', title: t('outbox.col.subject'), dataIndex: 'subject' },
    {
      key: 'status',
      title: t('outbox.col.status'),
      render: (_, m) => (
        <Tooltip title={m.lastError ?? t('outbox.attempts', { count: m.attempts })}>
          <Tag color={STATUS_COLORS[m.status]} data-testid="outbox-status">
            {t(`outbox.status.${m.status}`)}
          </Tag>
        </Tooltip>
      ),
    },
    {
      key: 'when',
      title: t('outbox.col.when'),
      render: (_, m) => (
        <Tooltip title={formatDateTime(m.createdAt, locale)}>
          <span className="nowrap">{formatRelative(m.createdAt, locale)}</span>
        </Tooltip>
      ),
    },
  ];
  return (
    <Card title={t('outbox.title')} data-testid="outbox">
      <Typography.Paragraph type="secondary">{t('outbox.lead')}</Typography.Paragraph>
      {outbox.error ? <QueryError error={outbox.error} onRetry={() => outbox.refetch()} /> : null}
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={outbox.data ?? []}
        loading={outbox.isPending}
        pagination={false}
        locale={{ emptyText: <Empty description={t('outbox.empty')} /> }}
        onRow={(m) => ({ 'data-testid': `outbox-row-${m.to}` }) as object}
        expandable={{
          expandRowByClick: true,
          expandedRowRender: (m) => (
            <div>
              {m.lastError ? (
                <Typography.Paragraph type="danger">{m.lastError}</Typography.Paragraph>
              ) : null}
              <pre className="outbox-text" data-testid="outbox-text">
                {m.text}
              </pre>
            </div>
          ),
        }}
      />
    </Card>
  );
}
