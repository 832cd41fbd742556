import { ApiOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { getQueryKey } from '@trpc/react-query';
import { Button, Card, Empty, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { QueryError } from '../../components/QueryError.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import {
  eventsOfPages,
  nextEventsCursor,
  outcomeColor,
  STRIPE_EVENTS_PAGE_SIZE,
  type StripeEventRow,
} from '../../lib/stripeEvents.ts';
import { testId } from '../../lib/testId.ts';
import { trpc } from '../../lib/trpc.ts';

/**
 * The Stripe webhook event log, newest first, a page at a time. One infinite query (as the
 * ledger): a refetch fetches each later page from the previous one's new cursor. The key sits
 * under tRPC's, so `utils.admin.stripe.invalidate()` refreshes it too.
 */
export function StripeEventsCard() {
  const { t, locale } = useLocale();
  const utils = trpc.useUtils();
  const input = { limit: STRIPE_EVENTS_PAGE_SIZE };
  const query = useInfiniteQuery({
    queryKey: getQueryKey(trpc.admin.stripe.events, input, 'infinite'),
    queryFn: ({ pageParam }) =>
      utils.client.admin.stripe.events.query({ ...input, before: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: nextEventsCursor,
  });
  const events = eventsOfPages(query.data?.pages ?? []);
  const when = (iso: string) => (
    <Tooltip title={formatDateTime(iso, locale)}>
      <span className="nowrap">{formatRelative(iso, locale)}</span>
    </Tooltip>
  );

  const columns: TableColumnsType<StripeEventRow> = [
    {
      key: 'id',
      title: t('stripeEvents.col.id'),
      render: (_, e) => (
        <Typography.Text code copyable={{ text: e.id }}>
          {e.id}
        </Typography.Text>
      ),
    },
    { key: 'type', title: t('stripeEvents.col.type'), dataIndex: 'type' },
    { key: 'created', title: t('stripeEvents.col.created'), render: (_, e) => when(e.created) },
    {
      key: 'received',
      title: t('stripeEvents.col.received'),
      render: (_, e) => when(e.receivedAt),
    },
    {
      key: 'outcome',
      title: t('stripeEvents.col.outcome'),
      render: (_, e) => (
        <Tag color={outcomeColor(e.outcome)} data-testid="stripe-event-outcome">
          {t(`stripeEvents.outcome.${e.outcome}`)}
        </Tag>
      ),
    },
    {
      key: 'error',
      title: t('stripeEvents.col.error'),
      render: (_, e) =>
        // What the handler did or why it did nothing; only a failure is shown as one.
        e.error ? (
          <Typography.Text
            type={e.outcome === 'failed' ? 'danger' : 'secondary'}
            data-testid="stripe-event-note"
          >
            {e.error}
          </Typography.Text>
        ) : (
          <span className="muted">—</span>
        ),
    },
  ];

  return (
    <Card variant="borderless" title={t('stripeEvents.title')} data-testid="stripe-events">
      <Typography.Paragraph type="secondary" className="card-lead">
        {t('stripeEvents.lead')}
      </Typography.Paragraph>
      <QueryError error={query.error} onRetry={() => void query.refetch()} />
      <Table
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={events}
        loading={query.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={() => testId('stripe-event-row')}
        locale={{
          emptyText: (
            <Empty
              image={<ApiOutlined className="empty-icon" />}
              description={<span data-testid="stripe-events-empty">{t('stripeEvents.empty')}</span>}
            />
          ),
        }}
      />
      <div className="load-more">
        {query.hasNextPage ? (
          <Button
            onClick={() => void query.fetchNextPage()}
            loading={query.isFetchingNextPage}
            data-testid="stripe-events-more"
          >
            {t('stripeEvents.loadMore')}
          </Button>
        ) : events.length > 0 ? (
          <span className="muted">{t('stripeEvents.end', { count: events.length })}</span>
        ) : null}
      </div>
    </Card>
  );
}
