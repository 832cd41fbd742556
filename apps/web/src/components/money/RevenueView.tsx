import { LineChartOutlined } from '@ant-design/icons';
import { Card, Empty, Segmented, Skeleton, Table, type TableColumnsType, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useLocale } from '../../i18n/useT.ts';
import { formatCount, formatMoney, majorToMinor } from '../../lib/money.ts';
import {
  hasPayments,
  leadingCurrency,
  REVENUE_RANGES,
  type RevenueProduct,
  type RevenueRange,
  type RevenueReport,
  revenuePoints,
} from '../../lib/moneyViews.ts';
import { testId } from '../../lib/testId.ts';
import { QueryError } from '../QueryError.tsx';

// recharts (~100 kB gzipped) loads only when a money view opens.
const RevenueChart = lazy(() => import('./RevenueChart.tsx'));

export interface RevenueQuery {
  data: RevenueReport | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
}

/**
 * Revenue over a range: net totals per currency (never added across currencies), purchases per
 * kind, a chart of one currency's net revenue and all purchases per bucket, and a line per
 * product. The admin console shows every tenant's (with a tenant column); a vendor its own.
 */
export function RevenueView({
  query,
  range,
  onRangeChange,
  showTenant,
}: {
  query: RevenueQuery;
  range: RevenueRange;
  onRangeChange: (range: RevenueRange) => void;
  showTenant: boolean;
}) {
  const { t } = useLocale();
  const report = query.data;
  return (
    <Card
      variant="borderless"
      title={t('money.revenue.title')}
      data-testid="revenue-view"
      extra={
        <Segmented
          value={range}
          onChange={(value) => onRangeChange(value as RevenueRange)}
          options={REVENUE_RANGES.map((r) => ({
            value: r,
            label: <span data-testid={`revenue-range-${r}`}>{t(`money.range.${r}`)}</span>,
          }))}
        />
      }
    >
      <QueryError error={query.error} onRetry={() => void query.refetch()} />
      {report ? (
        hasPayments(report) ? (
          <RevenueBody report={report} showTenant={showTenant} />
        ) : (
          <Empty
            image={<LineChartOutlined className="empty-icon" />}
            description={<span data-testid="revenue-empty">{t('money.revenue.empty')}</span>}
          />
        )
      ) : query.isPending ? (
        <Skeleton active />
      ) : null}
    </Card>
  );
}

function RevenueBody({ report, showTenant }: { report: RevenueReport; showTenant: boolean }) {
  const { t, locale } = useLocale();
  const [picked, setPicked] = useState<string>();
  const currency =
    picked && report.currencies.includes(picked) ? picked : (leadingCurrency(report) ?? 'usd');
  const money = (minor: number, c: string) => formatMoney(minor, c, locale);

  const columns: TableColumnsType<RevenueProduct> = [
    {
      key: 'name',
      title: t('money.col.product'),
      render: (_, p) => (
        <span>
          <Typography.Text strong>{p.name ?? p.productId ?? '—'}</Typography.Text>{' '}
          <span className="muted">{t(`money.product.${p.product}`)}</span>
        </span>
      ),
    },
    ...(showTenant
      ? [
          {
            key: 'tenant',
            title: t('money.col.tenant'),
            render: (_: unknown, p: RevenueProduct) => p.tenantName ?? p.tenantId,
          },
        ]
      : []),
    {
      key: 'purchases',
      title: t('money.col.purchases'),
      align: 'right',
      render: (_, p) => formatCount(p.purchases, locale),
    },
    {
      key: 'gross',
      title: t('money.col.gross'),
      align: 'right',
      render: (_, p) => money(p.grossMinor, p.currency),
    },
    {
      key: 'refunded',
      title: t('money.col.refunded'),
      align: 'right',
      render: (_, p) => money(p.refundedMinor, p.currency),
    },
    {
      key: 'net',
      title: t('money.col.net'),
      align: 'right',
      render: (_, p) => (
        <Typography.Text strong data-testid="revenue-product-net">
          {money(p.netMinor, p.currency)}
        </Typography.Text>
      ),
    },
  ];

  return (
    <div className="revenue-body">
      <div className="revenue-totals">
        {report.totals.map((total) => (
          <div
            key={total.currency}
            className="revenue-total"
            data-testid="revenue-total"
            data-currency={total.currency}
          >
            <div className="stat-label">
              {t('money.revenue.net', { currency: total.currency.toUpperCase() })}
            </div>
            <div className="stat-big" data-testid="revenue-total-net">
              {money(total.netMinor, total.currency)}
            </div>
            <div className="muted">
              {t('money.revenue.breakdown', {
                gross: money(total.grossMinor, total.currency),
                refunded: money(total.refundedMinor, total.currency),
                count: formatCount(total.purchases, locale),
              })}
            </div>
          </div>
        ))}
        <div className="revenue-total" data-testid="revenue-purchases">
          <div className="stat-label">{t('money.revenue.purchases')}</div>
          <div className="revenue-kinds">
            {(['subscription', 'plan', 'pack'] as const).map((kind) => (
              <div key={kind}>
                <span className="stat-mid" data-testid={`revenue-purchases-${kind}`}>
                  {formatCount(report.purchases[kind], locale)}
                </span>{' '}
                <span className="muted">{t(`money.kind.${kind}`)}</span>
              </div>
            ))}
          </div>
        </div>
      </div>

      <div className="revenue-chart-head">
        <Typography.Text type="secondary">
          {t(report.unit === 'week' ? 'money.revenue.perWeek' : 'money.revenue.perDay', {
            zone: report.timeZone,
          })}
        </Typography.Text>
        {report.currencies.length > 1 ? (
          <Segmented
            size="small"
            value={currency}
            onChange={(value) => setPicked(String(value))}
            options={report.currencies.map((c) => ({
              value: c,
              label: <span data-testid={`revenue-currency-${c}`}>{c.toUpperCase()}</span>,
            }))}
          />
        ) : null}
      </div>
      <Suspense
        fallback={
          <div className="revenue-chart">
            <Skeleton active paragraph={{ rows: 6 }} />
          </div>
        }
      >
        <RevenueChart
          points={revenuePoints(report, currency, locale)}
          netLabel={t('money.chart.net', { currency: currency.toUpperCase() })}
          purchasesLabel={t('money.chart.purchases')}
          formatNet={(major) => formatMoney(majorToMinor(major, currency), currency, locale)}
        />
      </Suspense>

      <Table
        rowKey={(p) => `${p.product}:${p.productId}:${p.currency}`}
        size="middle"
        columns={columns}
        dataSource={report.products}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={() => testId('revenue-product-row')}
      />
    </div>
  );
}
