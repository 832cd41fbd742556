import { WalletOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Skeleton } from 'antd';
import { useMemo, useState } from 'react';
import { CreditStats } from '../../components/credits/CreditStats.tsx';
import { LedgerList } from '../../components/credits/LedgerList.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { useT } from '../../i18n/useT.ts';
import { ledgerMarks } from '../../lib/credits.ts';
import { trpc } from '../../lib/trpc.ts';
import { useCreditAccount } from '../../lib/useLedger.ts';
import { AdjustCreditsModal } from './AdjustCreditsModal.tsx';

/** A user's credit account for admins: the numbers, the ledger with reasons, and adjustments. */
export function UserCreditsCard({ userId }: { userId: string }) {
  const t = useT();
  const { query, credits, entries } = useCreditAccount(userId);
  const platformMarks = trpc.admin.marks.list.useQuery();
  const marks = useMemo(
    () =>
      ledgerMarks(
        (platformMarks.data ?? []).map((m) => ({
          key: m.key,
          name: m.name,
          refill: m.entitlements.refill,
        })),
      ),
    [platformMarks.data],
  );
  const [adjusting, setAdjusting] = useState(false);

  return (
    <Card
      variant="borderless"
      data-testid="user-credits"
      title={
        <span className="card-title-icon">
          <WalletOutlined /> {t('userCredits.title')}
        </span>
      }
      extra={
        <Button
          type="primary"
          disabled={!credits}
          onClick={() => setAdjusting(true)}
          data-testid="adjust-credits"
        >
          {t('userCredits.adjust')}
        </Button>
      }
    >
      <QueryError error={query.error} onRetry={() => void query.refetch()} />
      <Row gutter={[32, 16]}>
        <Col xs={24} lg={8}>
          {credits ? (
            <CreditStats credits={credits} />
          ) : (
            <Skeleton active paragraph={{ rows: 2 }} />
          )}
        </Col>
        <Col xs={24} lg={16} className="user-credits__ledger">
          {query.error ? null : (
            <LedgerList
              entries={entries}
              loading={query.isPending}
              hasMore={query.hasNextPage}
              loadingMore={query.isFetchingNextPage}
              onLoadMore={() => void query.fetchNextPage()}
              marks={marks}
              showReason
            />
          )}
        </Col>
      </Row>
      <AdjustCreditsModal
        userId={userId}
        credits={credits ?? { balance: 0, reserved: 0, purchased: 0 }}
        open={adjusting}
        onClose={() => setAdjusting(false)}
      />
    </Card>
  );
}
