import { TeamOutlined } from '@ant-design/icons';
import { Card, Empty, Table, type TableColumnsType, Typography } from 'antd';
import { useLocale } from '../../i18n/useT.ts';
import { formatCount, formatMoney } from '../../lib/money.ts';
import type { PlanSubscriptions } from '../../lib/moneyViews.ts';
import { testId } from '../../lib/testId.ts';
import { QueryError } from '../QueryError.tsx';

export interface SubscriptionsQuery {
  data: PlanSubscriptions[] | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
}

/**
 * Active Stripe subscriptions per plan (trialing, active or past due, not ended), with how many
 * of them end at the period's close. The admin console lists every tenant's plans.
 */
export function SubscriptionsTable({
  query,
  showTenant,
}: {
  query: SubscriptionsQuery;
  showTenant: boolean;
}) {
  const { t, locale } = useLocale();
  const count = (n: number) => formatCount(n, locale);
  const columns: TableColumnsType<PlanSubscriptions> = [
    {
      key: 'plan',
      title: t('money.col.plan'),
      render: (_, p) => (
        <span>
          <Typography.Text strong>{p.planName}</Typography.Text>{' '}
          <Typography.Text code>{p.planKey}</Typography.Text>
        </span>
      ),
    },
    ...(showTenant
      ? [
          {
            key: 'tenant',
            title: t('money.col.tenant'),
            render: (_: unknown, p: PlanSubscriptions) => p.tenantName ?? p.tenantId,
          },
        ]
      : []),
    {
      key: 'price',
      title: t('money.col.price'),
      render: (_, p) =>
        t(`money.interval.${p.interval}`, { price: formatMoney(p.priceMinor, p.currency, locale) }),
    },
    {
      key: 'active',
      title: t('money.col.activeTotal'),
      align: 'right',
      render: (_, p) => (
        <Typography.Text strong data-testid="subscriptions-active">
          {count(p.active)}
        </Typography.Text>
      ),
    },
    {
      key: 'status-active',
      title: t('money.status.active'),
      align: 'right',
      render: (_, p) => (
        <span data-testid="subscriptions-status-active">{count(p.byStatus.active)}</span>
      ),
    },
    {
      key: 'trialing',
      title: t('money.status.trialing'),
      align: 'right',
      render: (_, p) => (
        <span data-testid="subscriptions-trialing">{count(p.byStatus.trialing)}</span>
      ),
    },
    {
      key: 'past-due',
      title: t('money.status.past_due'),
      align: 'right',
      render: (_, p) => (
        <span data-testid="subscriptions-past-due">{count(p.byStatus.past_due)}</span>
      ),
    },
    {
      key: 'canceling',
      title: t('money.col.canceling'),
      align: 'right',
      render: (_, p) => count(p.cancelAtPeriodEnd),
    },
  ];
  return (
    <Card
      variant="borderless"
      title={t('money.subscriptions.title')}
      data-testid="subscriptions-view"
    >
      <Typography.Paragraph type="secondary" className="card-lead">
        {t('money.subscriptions.lead')}
      </Typography.Paragraph>
      <QueryError error={query.error} onRetry={() => void query.refetch()} />
      <Table
        rowKey="planId"
        size="middle"
        columns={columns}
        dataSource={query.data}
        loading={query.isPending && !query.error}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        onRow={() => testId('subscriptions-row')}
        locale={{
          emptyText: (
            <Empty
              image={<TeamOutlined className="empty-icon" />}
              description={
                <span data-testid="subscriptions-empty">{t('money.subscriptions.empty')}</span>
              }
            />
          ),
        }}
      />
    </Card>
  );
}
