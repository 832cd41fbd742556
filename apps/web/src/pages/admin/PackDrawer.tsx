import { Form, Input, InputNumber, Select } from 'antd';
import { EditorDrawer } from '../../components/editor/EditorDrawer.tsx';
import type { Editor } from '../../components/editor/useEditor.ts';
import { CreditsInput } from '../../components/forms/CreditsInput.tsx';
import { SwitchField } from '../../components/forms/SwitchField.tsx';
import { useT } from '../../i18n/useT.ts';
import {
  NEW_PACK,
  PACK_SERVER_FIELDS,
  type PackFields,
  type PackFormValues,
  type PackRow,
  packFieldsFromForm,
  packToForm,
} from '../../lib/creditPacks.ts';
import { currencyDigits } from '../../lib/money.ts';

const CURRENCIES = ['usd', 'eur', 'gbp', 'cny', 'jpy', 'cad', 'aud', 'chf', 'hkd', 'sgd', 'inr'];

/**
 * Create or edit a credit pack. The price is typed in major units (as in the plan form); the
 * Stripe price id is checked by the server only, so its refusal (shape, or already linked to a
 * plan or pack) appears under the field.
 */
export function PackDrawer({ editor }: { editor: Editor<PackRow, PackFields> }) {
  const t = useT();
  const [form] = Form.useForm<PackFormValues>();
  const pack = editor.editing;
  const currency = Form.useWatch<string | undefined>('currency', form) ?? 'usd';
  const digits = currencyDigits(currency);
  const currencies = CURRENCIES.includes(currency) ? CURRENCIES : [currency, ...CURRENCIES];
  const required = { required: true, message: t('fieldErrors.REQUIRED') };

  return (
    <EditorDrawer
      editor={editor}
      form={form}
      testIdPrefix="pack"
      serverFields={PACK_SERVER_FIELDS}
      toValues={(row) => (row ? packToForm(row) : NEW_PACK)}
      toInput={packFieldsFromForm}
      size={480}
      title={pack ? t('packs.editTitle', { name: pack.name }) : t('packs.createTitle')}
      submitLabel={pack ? t('common.save') : t('packs.create')}
    >
      <Form.Item
        name="name"
        label={t('packs.name')}
        rules={[
          { ...required, whitespace: true },
          { max: 80, message: t('fieldErrors.TOO_LONG') },
        ]}
      >
        <Input placeholder={t('packs.namePlaceholder')} data-testid="pack-name" />
      </Form.Item>
      <Form.Item name="credits" label={t('packs.credits')} rules={[required]}>
        <CreditsInput min={1} max={1_000_000_000_000} data-testid="pack-credits" />
      </Form.Item>
      <div className="ent-fields__grid">
        <Form.Item
          name="price"
          label={t('packs.price')}
          extra={t('packs.priceHint')}
          rules={[required]}
        >
          <InputNumber
            min={0}
            max={100_000_000 / 10 ** digits}
            precision={digits}
            step={digits > 0 ? 1 : 100}
            prefix={currency.toUpperCase()}
            className="full-width"
            data-testid="pack-price"
          />
        </Form.Item>
        <Form.Item name="currency" label={t('packs.currency')} rules={[required]}>
          <Select
            showSearch
            options={currencies.map((code) => ({ value: code, label: code.toUpperCase() }))}
          />
        </Form.Item>
      </div>
      <Form.Item
        name="stripePriceId"
        label={t('packs.stripePriceId')}
        extra={t('packs.stripeHint')}
        rules={[{ max: 200, message: t('fieldErrors.TOO_LONG') }]}
      >
        <Input placeholder="price_…" autoComplete="off" data-testid="pack-stripe-price" />
      </Form.Item>
      <SwitchField
        name="active"
        label={t('packs.activeLabel')}
        extra={t('packs.activeHint')}
        testId="pack-active"
      />
    </EditorDrawer>
  );
}
