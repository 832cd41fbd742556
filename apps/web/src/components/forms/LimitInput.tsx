import { Checkbox, InputNumber } from 'antd';
import { useState } from 'react';
import { useT } from '../../i18n/useT.ts';

export const LIMIT_MAX = 1_000_000_000;

/**
 * A numeric limit with an "Unlimited" checkbox: a number (0 grants nothing) or null (unlimited),
 * as the entitlements schema has it. Works as a controlled antd form control. `nullLabel` renames
 * the checkbox ("No cap"); `max` is the largest number it takes.
 */
export function LimitInput({
  id,
  value,
  onChange,
  testId,
  nullLabel,
  max = LIMIT_MAX,
}: {
  id?: string;
  value?: number | null;
  onChange?: (value: number | null) => void;
  testId?: string;
  nullLabel?: string;
  max?: number;
}) {
  const t = useT();
  const unlimited = value === null;
  // Unticking "Unlimited" brings back the last number typed.
  const [lastNumber, setLastNumber] = useState(typeof value === 'number' ? value : 0);
  return (
    <div className="limit-input">
      <InputNumber
        id={id}
        min={0}
        max={max}
        precision={0}
        value={unlimited ? null : (value ?? 0)}
        disabled={unlimited}
        placeholder={unlimited ? '∞' : '0'}
        onChange={(next) => {
          const number = typeof next === 'number' ? next : 0;
          setLastNumber(number);
          onChange?.(number);
        }}
        className="limit-input__number"
        data-testid={testId}
      />
      <Checkbox
        checked={unlimited}
        onChange={(event) => onChange?.(event.target.checked ? null : lastNumber)}
        data-testid={testId ? `${testId}-unlimited` : undefined}
      >
        {nullLabel ?? t('limits.unlimited')}
      </Checkbox>
    </div>
  );
}
