import { CrownFilled, GiftOutlined } from '@ant-design/icons';
import { Card, Tag, Typography } from 'antd';
import { EntitlementList } from '../../components/EntitlementList.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { formatMoney } from '../../lib/money.ts';
import type { CatalogPlan } from '../../lib/trpc.ts';
import { PlanAction } from './PlanAction.tsx';

/** One plan: price, trial, what it unlocks, and what the member can do about it. */
export function PlanCard({ plan }: { plan: CatalogPlan }) {
  const { t, locale, lookup } = useLocale();
  const free = plan.priceMinor === 0;
  const description = plan.description || plan.markDescription;
  return (
    <Card
      variant="borderless"
      className={plan.held ? 'plan-card plan-card--current' : 'plan-card'}
      data-testid="plan-card"
      data-plan-name={plan.name}
      data-mark-key={plan.markKey}
    >
      <div className="plan-card__head">
        <div>
          <div className="plan-card__name">{plan.name}</div>
          <div className="plan-card__mark">
            {t('plans.grants', { mark: plan.markName })}{' '}
            <Typography.Text code className="plan-card__key">
              {plan.markKey}
            </Typography.Text>
          </div>
        </div>
        {plan.held ? (
          <Tag color="purple" icon={<CrownFilled />} data-testid="plan-current">
            {t('plans.current')}
          </Tag>
        ) : null}
      </div>
      <div className="plan-card__price">
        <span className="plan-card__amount">
          {free ? t('price.free') : formatMoney(plan.priceMinor, plan.currency, locale)}
        </span>
        {free ? null : (
          <span className="plan-card__interval">
            {lookup(`price.suffix.${plan.interval}`) ?? plan.interval}
          </span>
        )}
      </div>
      <div className="plan-card__badges">
        {plan.trialDays > 0 ? (
          <Tag color="gold" icon={<GiftOutlined />} data-testid="plan-trial-days">
            {t('plans.trialBadge', { days: plan.trialDays })}
          </Tag>
        ) : null}
        {plan.durationDays !== null ? (
          <Tag>{t('plans.lasts', { days: plan.durationDays })}</Tag>
        ) : null}
      </div>
      {description ? (
        <Typography.Paragraph type="secondary" className="plan-card__desc">
          {description}
        </Typography.Paragraph>
      ) : null}
      <div className="plan-card__body">
        <div className="plan-card__section">{t('plans.unlocks')}</div>
        <EntitlementList entitlements={plan.entitlements} />
      </div>
      <div className="plan-card__footer">
        <PlanAction plan={plan} />
      </div>
    </Card>
  );
}
