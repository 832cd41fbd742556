import {
  EditOutlined,
  FieldTimeOutlined,
  MessageOutlined,
  RollbackOutlined,
  ShoppingOutlined,
  SyncOutlined,
  ToolOutlined,
} from '@ant-design/icons';
import { Button, Empty, Skeleton, Tag, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { useLocale } from '../../i18n/useT.ts';
import {
  describeLedgerEntry,
  formatCredits,
  type LedgerMark,
  ledgerSummary,
} from '../../lib/credits.ts';
import { formatDateTime, formatMoment } from '../../lib/format.ts';
import type { LedgerEntry } from '../../lib/trpc.ts';
import { LEDGER_PAGE_SIZE } from '../../lib/useLedger.ts';

const ICONS: Record<LedgerEntry['kind'], ReactNode> = {
  refill: <SyncOutlined />,
  adjust: <ToolOutlined />,
  set: <EditOutlined />,
  charge: <MessageOutlined />,
  purchase: <ShoppingOutlined />,
  refund: <RollbackOutlined />,
  lapse: <FieldTimeOutlined />,
};

/**
 * A credit ledger as a readable history, newest first: what happened ("Daily refill", "Chat
 * charge"), its mark, model or reason, when, the signed amount and the balance after. "Load more"
 * follows `nextBeforeId`. Shared by the Usage page and the admin's user detail.
 */
export function LedgerList({
  entries,
  loading,
  hasMore,
  loadingMore,
  onLoadMore,
  marks,
  showReason = false,
}: {
  entries: LedgerEntry[];
  loading: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  marks?: ReadonlyMap<string, LedgerMark>;
  showReason?: boolean;
}) {
  const { t, locale } = useLocale();
  if (loading) return <Skeleton active avatar paragraph={{ rows: 3 }} />;
  if (entries.length === 0) {
    return (
      <Empty
        className="ledger-empty"
        image={<SyncOutlined className="empty-icon" />}
        description={
          <div data-testid="ledger-empty">
            <div>{t('ledger.empty')}</div>
            <div className="muted">{t('ledger.emptyDetail')}</div>
          </div>
        }
      />
    );
  }
  return (
    <div>
      <ul className="ledger" data-testid="ledger">
        {entries.map((entry) => {
          const line = describeLedgerEntry(entry, t, locale, { marks, showReason });
          return (
            <li
              key={entry.id}
              className="ledger__row"
              data-testid="ledger-row"
              data-kind={entry.kind}
              title={ledgerSummary(line)}
            >
              <span className={`ledger__icon ledger__icon--${entry.kind}`} aria-hidden="true">
                {ICONS[entry.kind] ?? <SyncOutlined />}
              </span>
              <div className="ledger__main">
                <div className="ledger__title" data-testid="ledger-title">
                  {line.title}
                </div>
                <div className="ledger__meta">
                  {entry.pot === 'purchased' ? (
                    <Tag className="ledger__pot" data-testid="ledger-pot">
                      {t('ledger.potPurchased')}
                    </Tag>
                  ) : null}
                  {line.detail ? <span className="ledger__detail">{line.detail}</span> : null}
                  <Tooltip title={formatDateTime(entry.createdAt, locale)}>
                    <time dateTime={entry.createdAt}>
                      {formatMoment(entry.createdAt, locale, { time: 'always' })}
                    </time>
                  </Tooltip>
                </div>
              </div>
              <div className="ledger__side">
                <div
                  className={`ledger__amount ledger__amount--${line.tone}`}
                  data-testid="ledger-amount"
                >
                  {line.amount}
                </div>
                <div className="ledger__balance">
                  {t('ledger.balanceAfter', { balance: formatCredits(entry.balanceAfter, locale) })}
                </div>
              </div>
            </li>
          );
        })}
      </ul>
      <div className="load-more">
        {hasMore ? (
          <Button onClick={onLoadMore} loading={loadingMore} data-testid="ledger-more">
            {t('ledger.loadMore')}
          </Button>
        ) : entries.length > LEDGER_PAGE_SIZE ? (
          <span className="muted">{t('ledger.end')}</span>
        ) : null}
      </div>
    </div>
  );
}
