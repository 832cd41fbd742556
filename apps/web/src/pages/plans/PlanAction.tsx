import { CheckOutlined, GiftOutlined, InfoCircleOutlined } from '@ant-design/icons';
import { App, Button, Tooltip } from 'antd';
import { useLocale } from '../../i18n/useT.ts';
import { describeError } from '../../lib/errorMessages.ts';
import { toAppError } from '../../lib/errors.ts';
import { formatPlanPrice } from '../../lib/plans.ts';
import { type CatalogPlan, trpc } from '../../lib/trpc.ts';
import { REDEEM_ANCHOR } from './RedeemCodeCard.tsx';

/**
 * The one thing a member can do with a plan card: nothing (they hold it), start its trial, or —
 * until billing exists — learn how to get it (an admin grants it).
 */
export function PlanAction({ plan }: { plan: CatalogPlan }) {
  const { t, locale, lookup } = useLocale();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const startTrial = trpc.membership.startTrial.useMutation({
    onSuccess: () => {
      void message.success(t('plans.trialStarted', { name: plan.markName }));
    },
    onError: (error) => void message.error(describeError(toAppError(error), lookup)),
    onSettled: () =>
      Promise.all([utils.membership.mine.invalidate(), utils.membership.catalog.invalidate()]),
  });

  if (plan.held) {
    return (
      <Button block disabled icon={<CheckOutlined />} data-testid="plan-held">
        {t('plans.youHaveThis')}
      </Button>
    );
  }
  if (plan.trialAvailable) {
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
        <div className="plan-action__hint">
          {t('plans.afterTrial', { price: formatPlanPrice(plan, t, locale) })}
        </div>
      </div>
    );
  }
  return (
    <div className="plan-action">
      <Tooltip title={t('plans.comingSoonTooltip')}>
        <Button block disabled data-testid="plan-coming-soon">
          {t('plans.comingSoon')}
        </Button>
      </Tooltip>
      <div className="plan-action__hint">
        <InfoCircleOutlined /> {t('plans.askAdmin')}{' '}
        <a href={`#${REDEEM_ANCHOR}`} data-testid="plan-redeem-link">
          {t('redeem.haveCode')}
        </a>
      </div>
    </div>
  );
}
