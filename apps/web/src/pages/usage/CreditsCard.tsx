import { WalletOutlined } from '@ant-design/icons';
import { Card } from 'antd';
import { CreditStats } from '../../components/credits/CreditStats.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { everyText } from '../../lib/credits.ts';
import { describePolicy } from '../../lib/refillPolicy.ts';
import type { RefillPolicy, UsageSummary } from '../../lib/trpc.ts';

export interface HeldRefill {
  markKey: string;
  markName: string;
  policy: RefillPolicy;
}

/** Balance, reserved and available credits, and which held marks refill them how often. */
export function CreditsCard({
  credits,
  refills,
}: {
  credits: UsageSummary['credits'];
  refills: HeldRefill[] | null;
}) {
  const { t, locale } = useLocale();
  return (
    <Card
      variant="borderless"
      className="usage-card"
      data-testid="usage-credits-card"
      title={
        <span className="card-title-icon">
          <WalletOutlined /> {t('credits.title')}
        </span>
      }
    >
      <CreditStats credits={credits} />
      {refills ? (
        <div className="usage-card__lines">
          <div className="stat-label">{t('credits.refills')}</div>
          {refills.length === 0 ? (
            <div className="muted">{t('credits.noRefills')}</div>
          ) : (
            refills.map((refill) => (
              <div key={refill.markKey} className="refill-source" data-testid="refill-source">
                <span className="refill-source__mark">{refill.markName}</span>
                <span className="muted">
                  {describePolicy(refill.policy, everyText(refill.policy.every, t), t, locale)}
                </span>
              </div>
            ))
          )}
        </div>
      ) : null}
    </Card>
  );
}
