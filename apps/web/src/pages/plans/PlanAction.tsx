import {
  CheckOutlined,
  CreditCardOutlined,
  GiftOutlined,
  InfoCircleOutlined,
} from '@ant-design/icons';
import { App, Button } from 'antd';
import { useVerifiedEmailErrorHandler } from '../../components/VerifyEmailNotice.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { planOffer } from '../../lib/billing.ts';
import { describeError } from '../../lib/errorMessages.ts';
import { toAppError } from '../../lib/errors.ts';
import { formatPlanPrice } from '../../lib/plans.ts';
import { type CatalogPlan, trpc } from '../../lib/trpc.ts';
import { REDEEM_ANCHOR } from './RedeemCodeCard.tsx';

/**
 * The one thing a member can do with a plan card: nothing (they hold it), go to Stripe Checkout
 * (with the plan's trial while it is theirs), start a no-card trial of a plan not sold online, or
 * learn how else to get it (a code or an admin).
 */
export function PlanAction({ plan }: { plan: CatalogPlan }) {
  const { t, locale, lookup } = useLocale();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const status = trpc.billing.status.useQuery();
  // A trial or checkout refused for an unverified address offers to resend the link.
  const onError = useVerifiedEmailErrorHandler(
    (error: unknown) => void message.error(describeError(toAppError(error), lookup)),
  );
  const startTrial = trpc.membership.startTrial.useMutation({
    onSuccess: () => {
      void message.success(t('plans.trialStarted', { name: plan.markName }));
    },
    onError,
    onSettled: () =>
      Promise.all([utils.membership.mine.invalidate(), utils.membership.catalog.invalidate()]),
  });
  // Stripe's page replaces the app; the button stays busy until the browser leaves.
  const checkout = trpc.billing.checkout.useMutation({
    onSuccess: ({ url }) => window.location.assign(url),
    onError,
  });
  const price = formatPlanPrice(plan, t, locale);

  if (plan.held) {
    return (
      <Button block disabled icon={<CheckOutlined />} data-testid="plan-held">
        {t('plans.youHaveThis')}
      </Button>
    );
  }
  if (status.isPending) return <Button block loading disabled />;
  const offer = planOffer(plan, status.data?.enabled === true);
  if (offer === 'checkout') {
    const trial = plan.trialAvailable;
    return (
      <div className="plan-action">
        <Button
          type="primary"
          block
          icon={trial ? <GiftOutlined /> : <CreditCardOutlined />}
          loading={checkout.isPending || checkout.isSuccess}
          onClick={() => checkout.mutate({ planId: plan.id })}
          data-testid="plan-buy"
        >
          {trial
            ? t('plans.startTrial', { days: plan.trialDays })
            : t(plan.interval === 'once' ? 'plans.buy' : 'plans.subscribe')}
        </Button>
        <div className="plan-action__hint">
          {trial ? t('plans.trialThenCard', { price }) : t('plans.priceHint', { price })}
        </div>
      </div>
    );
  }
  if (offer === 'trial') {
    return (
      <div className="plan-action">
        <Button
          type="primary"
          block
          icon={<GiftOutlined />}
          loading={startTrial.isPending}
          onClick={() => startTrial.mutate({ planId: plan.id })}
          data-testid="plan-trial"
        >
          {t('plans.startTrial', { days: plan.trialDays })}
        </Button>
        <div className="plan-action__hint">{t('plans.afterTrial', { price })}</div>
      </div>
    );
  }
  return (
    <div className="plan-action">
      <Button block disabled data-testid="plan-not-for-sale">
        {t('plans.offline')}
      </Button>
      <div className="plan-action__hint" data-testid="plan-how-to-get">
        <InfoCircleOutlined /> {t(offer === 'offline' ? 'plans.offlineHint' : 'plans.notLinked')}{' '}
        <a href={`#${REDEEM_ANCHOR}`} data-testid="plan-redeem-link">
          {t('redeem.haveCode')}
        </a>
      </div>
    </div>
  );
}
