import { Alert } from 'antd';
import { useLocale } from '../../i18n/useT.ts';
import { formatDate } from '../../lib/format.ts';
import { trpc } from '../../lib/trpc.ts';

/**
 * What the member must know about their Stripe subscriptions, above the plans: a failed payment
 * (access lasts until the end of the grace period, then Free), a cancellation at period end, an
 * ending. Refreshed by the member events like the rest of the page.
 */
export function SubscriptionNotices() {
  const { t, locale } = useLocale();
  const subscriptions = trpc.membership.subscriptions.useQuery();
  const noticed = (subscriptions.data ?? []).filter((s) => s.notice !== null);
  if (noticed.length === 0) return null;
  return (
    <div className="subscription-notices" data-testid="subscription-notices">
      {noticed.map((s) => {
        const values = {
          plan: s.planName,
          date: formatDate(
            s.notice === 'ended' ? (s.endedAt ?? s.accessUntil) : s.accessUntil,
            locale,
          ),
        };
        return (
          <Alert
            key={s.id}
            showIcon
            className="page-alert"
            type={s.notice === 'payment_failed' ? 'warning' : 'info'}
            data-testid="subscription-notice"
            data-notice={s.notice}
            title={t(`subscriptions.${s.notice!}.title`, values)}
            description={t(`subscriptions.${s.notice!}.detail`, values)}
          />
        );
      })}
    </div>
  );
}
