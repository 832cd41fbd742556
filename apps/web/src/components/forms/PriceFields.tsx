import { Form, InputNumber, Select } from 'antd';
import { useT } from '../../i18n/useT.ts';
import { currencyDigits } from '../../lib/money.ts';

const CURRENCIES = ['usd', 'eur', 'gbp', 'cny', 'jpy', 'cad', 'aud', 'chf', 'hkd', 'sgd', 'inr'];

/**
 * A price typed in major units beside its currency, for any form with `price` and `currency`
 * fields (plans, credit packs). The input's precision follows the currency (none for JPY), and a
 * stored currency outside the usual list is still offered.
 */
export function PriceFields({
  labels,
  testId,
  priceRequired = false,
}: {
  labels: { price: string; priceHint: string; currency: string };
  testId: string;
  priceRequired?: boolean;
}) {
  const t = useT();
  const currency = Form.useWatch<string | undefined>('currency') ?? 'usd';
  const digits = currencyDigits(currency);
  const currencies = CURRENCIES.includes(currency) ? CURRENCIES : [currency, ...CURRENCIES];
  const required = { required: true, message: t('fieldErrors.REQUIRED') };
  return (
    <div className="ent-fields__grid">
      <Form.Item
        name="price"
        label={labels.price}
        extra={labels.priceHint}
        rules={priceRequired ? [required] : []}
      >
        <InputNumber
          min={0}
          max={100_000_000 / 10 ** digits}
          precision={digits}
          step={digits > 0 ? 1 : 100}
          prefix={currency.toUpperCase()}
          className="full-width"
          data-testid={testId}
        />
      </Form.Item>
      <Form.Item name="currency" label={labels.currency} rules={[required]}>
        <Select
          showSearch
          options={currencies.map((code) => ({ value: code, label: code.toUpperCase() }))}
        />
      </Form.Item>
    </div>
  );
}
