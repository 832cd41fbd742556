import { InputNumber, type InputNumberProps } from 'antd';
import { useT } from '../../i18n/useT.ts';
import { groupDigits, ungroupDigits } from '../../lib/credits.ts';

/**
 * A whole number of credits with digit grouping and a "credits" suffix. A controlled antd form
 * control, like InputNumber (extra props are passed through).
 */
export function CreditsInput(props: InputNumberProps<number>) {
  const t = useT();
  return (
    <InputNumber<number>
      precision={0}
      suffix={t('credits.unit')}
      className="full-width"
      // Grouped when shown, left alone while typing (no jumping caret).
      formatter={(value, info) => (info.userTyping ? info.input : groupDigits(value))}
      // rc-input-number parses the cleaned text itself (a lone "-" stays typeable).
      parser={(text) => ungroupDigits(text) as unknown as number}
      {...props}
    />
  );
}
