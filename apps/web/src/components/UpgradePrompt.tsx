import { CrownOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import type { MouseEvent, ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useLocale } from '../i18n/useT.ts';
import { type Denial, denialHeadline, toDenial, unlockText } from '../lib/denial.ts';

export const PLANS_PATH = '/plans';

/**
 * A member-gated call was refused: say what is missing and what unlocks it ("Needs Pro — Pro
 * monthly $20/mo, 7-day trial"), with a way to the Plans page. Renders nothing for other errors.
 * The denial comes from a failed call's `error`, or ready-made (a chat stream's typed reason);
 * `title` replaces the headline when the caller knows better what happened.
 */
export function UpgradePrompt({
  error,
  denial: given,
  title,
  compact = false,
}: {
  error?: unknown;
  denial?: Denial | null;
  title?: ReactNode;
  compact?: boolean;
}) {
  const { t, locale } = useLocale();
  const navigate = useNavigate();
  const denial = given ?? toDenial(error);
  if (!denial) return null;
  const goToPlans = (event: MouseEvent) => {
    event.preventDefault();
    navigate(PLANS_PATH);
  };
  return (
    <div
      className={compact ? 'upgrade-prompt upgrade-prompt--compact' : 'upgrade-prompt'}
      role="alert"
      data-testid="upgrade-prompt"
      data-code={denial.code}
    >
      <span className="upgrade-prompt__icon" aria-hidden="true">
        <CrownOutlined />
      </span>
      <div className="upgrade-prompt__body">
        <div className="upgrade-prompt__title">{title ?? denialHeadline(denial, t)}</div>
        {denial.unlock.length > 0 ? (
          <ul className="upgrade-prompt__unlocks">
            {denial.unlock.map((unlock) => (
              <li key={unlock.markKey} data-testid="upgrade-unlock">
                {unlockText(unlock, t, locale)}
              </li>
            ))}
          </ul>
        ) : (
          <div className="upgrade-prompt__none">{t('unlock.nothingSells')}</div>
        )}
      </div>
      <Button
        type="primary"
        href={PLANS_PATH}
        onClick={goToPlans}
        icon={<CrownOutlined />}
        data-testid="upgrade-see-plans"
      >
        {t('unlock.seePlans')}
      </Button>
    </div>
  );
}
