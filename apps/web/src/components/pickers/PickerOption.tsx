import { LockOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useLocale } from '../../i18n/useT.ts';
import type { Unlock } from '../../lib/denial.ts';
import { lockLines } from '../../lib/pickers.ts';

/**
 * One entry of a picker's list: icon, name and a line about it. A locked entry (the plan does
 * not allow it) shows a lock and what unlocks it, worded as the upgrade prompt words it.
 */
export function PickerOption({
  icon,
  name,
  detail,
  item,
  testId,
}: {
  icon: ReactNode;
  name: string;
  detail?: string;
  item: { allowed: boolean; unlock: readonly Unlock[] };
  testId: string;
}) {
  const { t, locale } = useLocale();
  const lines = lockLines(item, t, locale);
  return (
    <span
      className={item.allowed ? 'picker-option' : 'picker-option picker-option--locked'}
      data-testid={testId}
      data-locked={item.allowed ? undefined : 'true'}
    >
      <span className="picker-option__icon" aria-hidden="true">
        {icon}
      </span>
      <span className="picker-option__body">
        <span className="picker-option__name">
          {name}
          {item.allowed ? null : (
            <LockOutlined className="picker-option__lock" aria-label={t('pickers.locked')} />
          )}
        </span>
        {detail ? <span className="picker-option__detail">{detail}</span> : null}
        {lines.map((line) => (
          <span key={line} className="picker-option__unlock" data-testid="picker-unlock">
            {line}
          </span>
        ))}
      </span>
    </span>
  );
}
