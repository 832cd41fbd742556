import { InfoCircleOutlined } from '@ant-design/icons';
import { Tooltip } from 'antd';
import { useLocale } from '../../i18n/useT.ts';
import { formatCredits } from '../../lib/credits.ts';

export interface CreditNumbers {
  balance: number;
  reserved: number;
  available: number;
  allowance: number;
  purchased: number;
}

/**
 * Balance (large), then its two pots — the plan allowance (spent first, refilled by the plan,
 * gone with it) and purchased credits (kept) — then what running requests hold and what is left.
 */
export function CreditStats({ credits }: { credits: CreditNumbers }) {
  const { t, locale } = useLocale();
  return (
    <div className="credit-stats">
      <div className="credit-stats__balance">
        <div className="stat-label">{t('credits.balance')}</div>
        <div className="stat-big" data-testid="credits-balance">
          {formatCredits(credits.balance, locale)}
          <span className="stat-big__unit">{t('credits.unit')}</span>
        </div>
      </div>
      <div className="credit-stats__row" data-testid="credit-pots">
        <div>
          <div className="stat-label">
            {t('credits.allowance')}{' '}
            <Tooltip title={t('credits.allowanceHint')}>
              <InfoCircleOutlined className="muted" />
            </Tooltip>
          </div>
          <div className="stat-mid" data-testid="credits-allowance">
            {formatCredits(credits.allowance, locale)}
          </div>
        </div>
        <div>
          <div className="stat-label">
            {t('credits.purchased')}{' '}
            <Tooltip title={t('credits.purchasedHint')}>
              <InfoCircleOutlined className="muted" />
            </Tooltip>
          </div>
          <div className="stat-mid" data-testid="credits-purchased">
            {formatCredits(credits.purchased, locale)}
          </div>
        </div>
      </div>
      <div className="credit-stats__row">
        <div>
          <div className="stat-label">
            {t('credits.reserved')}{' '}
            <Tooltip title={t('credits.reservedHint')}>
              <InfoCircleOutlined className="muted" />
            </Tooltip>
          </div>
          <div className="stat-mid" data-testid="credits-reserved">
            {formatCredits(credits.reserved, locale)}
          </div>
        </div>
        <div>
          <div className="stat-label">{t('credits.available')}</div>
          <div className="stat-mid" data-testid="credits-available">
            {formatCredits(credits.available, locale)}
          </div>
        </div>
      </div>
    </div>
  );
}
