import { DesktopOutlined } from '@ant-design/icons';
import { App, Button, Card, Popconfirm, Table, type TableColumnsType, Tag, Tooltip } from 'antd';
import { useLocale } from '../../i18n/useT.ts';
import { describeError } from '../../lib/errorMessages.ts';
import { toAppError } from '../../lib/errors.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { formatIp } from '../../lib/ip.ts';
import { testId } from '../../lib/testId.ts';
import { type SessionRow, trpc } from '../../lib/trpc.ts';
import { describeUserAgent } from '../../lib/userAgent.ts';

/** Test hook: every row is `[data-testid=session-row]`; the current one has `this-device`. */
const ROW_PROPS = testId('session-row');

export function SessionsCard() {
  const { t, locale, lookup } = useLocale();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const sessions = trpc.auth.sessions.useQuery();
  const revoke = trpc.auth.revokeSession.useMutation({
    onSuccess: () => void message.success(t('account.revoked')),
    onError: (error) => void message.error(describeError(toAppError(error), lookup)),
    onSettled: () => utils.auth.sessions.invalidate(),
  });

  const when = (iso: string) => (
    <Tooltip title={formatDateTime(iso, locale)}>
      <span>{formatRelative(iso, locale)}</span>
    </Tooltip>
  );

  const columns: TableColumnsType<SessionRow> = [
    {
      key: 'device',
      title: t('account.col.device'),
      render: (_, row) => (
        <span className="session-device">
          <DesktopOutlined />
          <Tooltip title={row.userAgent}>
            <span>{describeUserAgent(row.userAgent) ?? t('account.unknownDevice')}</span>
          </Tooltip>
          {row.current ? (
            <Tag color="green" data-testid="this-device">
              {t('account.thisDevice')}
            </Tag>
          ) : null}
        </span>
      ),
    },
    {
      key: 'ip',
      title: t('account.col.ip'),
      render: (_, row) => (row.ip ? formatIp(row.ip) : t('account.unknownIp')),
    },
    { key: 'created', title: t('account.col.created'), render: (_, row) => when(row.createdAt) },
    { key: 'lastSeen', title: t('account.col.lastSeen'), render: (_, row) => when(row.lastSeenAt) },
    { key: 'expires', title: t('account.col.expires'), render: (_, row) => when(row.expiresAt) },
    {
      key: 'actions',
      title: t('account.col.actions'),
      align: 'right',
      render: (_, row) =>
        row.current ? null : (
          <Popconfirm
            title={t('account.revokeConfirm')}
            okText={t('account.revoke')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true, ...testId('session-revoke-confirm') }}
            onConfirm={() => revoke.mutateAsync({ id: row.id }).catch(() => undefined)}
          >
            <Button size="small" danger data-testid="session-revoke">
              {t('account.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Card
      title={t('account.sessions')}
      extra={<span className="muted">{t('account.sessionsDetail')}</span>}
      variant="borderless"
    >
      <Table
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={sessions.data}
        loading={sessions.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={() => ROW_PROPS}
        locale={{ emptyText: t('account.sessionsEmpty') }}
      />
    </Card>
  );
}
