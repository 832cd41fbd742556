import { Form, Input } from 'antd';
import { EditorDrawer } from '../../components/editor/EditorDrawer.tsx';
import type { Editor } from '../../components/editor/useEditor.ts';
import { CreditsInput } from '../../components/forms/CreditsInput.tsx';
import { PriceFields } from '../../components/forms/PriceFields.tsx';
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

/**
 * Create or edit a credit pack. The price is typed in major units (as in the plan form); the
 * Stripe price id is checked by the server only, so its refusal (shape, or already linked to a
 * plan or pack) appears under the field.
 */
export function PackDrawer({ editor }: { editor: Editor<PackRow, PackFields> }) {
  const t = useT();
  const [form] = Form.useForm<PackFormValues>();
  const pack = editor.editing;
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
      <PriceFields
        labels={{
          price: t('packs.price'),
          priceHint: t('packs.priceHint'),
          currency: t('packs.currency'),
        }}
        testId="pack-price"
        priceRequired
      />
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
