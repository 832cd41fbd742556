import { HistoryOutlined } from '@ant-design/icons';
import { Card, Col, Row, Skeleton, Tag } from 'antd';
import { useCallback, useMemo } from 'react';
import { LedgerList } from '../components/credits/LedgerList.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryError } from '../components/QueryError.tsx';
import { useT } from '../i18n/useT.ts';
import { ledgerMarks } from '../lib/credits.ts';
import { trpc } from '../lib/trpc.ts';
import { useMyLedger } from '../lib/useLedger.ts';
import { CapsCard } from './usage/CapsCard.tsx';
import { CreditsCard, type HeldRefill } from './usage/CreditsCard.tsx';
import { MonthCard, TodayCard } from './usage/QuotaCards.tsx';
import { UsageChart } from './usage/UsageChart.tsx';

function LoadingCard() {
  return (
    <Card variant="borderless" className="usage-card">
      <Skeleton active paragraph={{ rows: 3 }} />
    </Card>
  );
}

/** Marks the member holds, with their refill policy (from the catalog, which lists entitlements). */
function useHeldRefills() {
  const mine = trpc.membership.mine.useQuery();
  const catalog = trpc.membership.catalog.useQuery();
  return useMemo(() => {
    if (!mine.data || !catalog.data) return { refills: null, marks: undefined };
    const policies = new Map(catalog.data.map((plan) => [plan.markKey, plan.entitlements.refill]));
    const refills: HeldRefill[] = [];
    for (const mark of mine.data.marks) {
      const policy = policies.get(mark.markKey);
      if (policy) refills.push({ markKey: mark.markKey, markName: mark.markName, policy });
    }
    const marks = ledgerMarks(
      mine.data.marks.map((mark) => ({
        key: mark.markKey,
        name: mark.markName,
        refill: policies.get(mark.markKey) ?? null,
      })),
    );
    return { refills, marks };
  }, [mine.data, catalog.data]);
}

/**
 * The member's usage: today's and this month's quotas with their resets, credits, a 30-day chart,
 * the credit history and their own limits. Live: member events refetch `usage.*`.
 */
export function UsagePage() {
  const t = useT();
  const utils = trpc.useUtils();
  const summary = trpc.usage.summary.useQuery();
  const ledger = useMyLedger();
  const { refills, marks } = useHeldRefills();
  const onReset = useCallback(() => void utils.usage.invalidate(), [utils]);
  const data = summary.data;

  return (
    <div data-testid="usage-page">
      <PageHeader
        title={t('usage.title')}
        subtitle={t('usage.subtitle')}
        extra={data ? <Tag>{t('usage.timeZone', { zone: data.timeZone })}</Tag> : null}
      />
      <QueryError error={summary.error} onRetry={() => void summary.refetch()} />
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12} xl={8}>
          {data ? <TodayCard summary={data} onReset={onReset} /> : <LoadingCard />}
        </Col>
        <Col xs={24} md={12} xl={8}>
          {data ? <MonthCard summary={data} onReset={onReset} /> : <LoadingCard />}
        </Col>
        <Col xs={24} xl={8}>
          {data ? <CreditsCard credits={data.credits} refills={refills} /> : <LoadingCard />}
        </Col>
        <Col xs={24}>
          <UsageChart timeZone={data?.timeZone ?? 'UTC'} />
        </Col>
        <Col xs={24} xl={15}>
          <Card
            variant="borderless"
            data-testid="ledger-card"
            title={
              <span className="card-title-icon">
                <HistoryOutlined /> {t('ledger.title')}
              </span>
            }
          >
            <QueryError error={ledger.query.error} onRetry={() => void ledger.query.refetch()} />
            {ledger.query.error ? null : (
              <LedgerList
                entries={ledger.entries}
                loading={ledger.query.isPending}
                hasMore={ledger.query.hasNextPage}
                loadingMore={ledger.query.isFetchingNextPage}
                onLoadMore={() => void ledger.query.fetchNextPage()}
                marks={marks}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          {data ? <CapsCard summary={data} /> : <LoadingCard />}
        </Col>
      </Row>
    </div>
  );
}
