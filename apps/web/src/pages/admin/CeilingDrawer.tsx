import { Form, InputNumber, Typography } from 'antd';
import { EditorDrawer } from '../../components/editor/EditorDrawer.tsx';
import type { Editor } from '../../components/editor/useEditor.ts';
import { EntitlementsFields } from '../../components/marks/EntitlementsFields.tsx';
import { useEntitlementCatalog } from '../../components/marks/useEntitlementCatalog.ts';
import { useT } from '../../i18n/useT.ts';
import {
  CEILING_SERVER_FIELDS,
  entitlementsFromForm,
  type FormEntitlements,
  NO_ENTITLEMENTS,
} from '../../lib/entitlementForm.ts';
import { type RefillFormValues, refillToForm } from '../../lib/refillPolicy.ts';
import type { Entitlements, RouterOutputs, VendorRow } from '../../lib/trpc.ts';

export type Ceiling = RouterOutputs['admin']['vendors']['ceiling'];
/** The editor's row: the vendor with its ceiling, fetched before the drawer opens. */
export interface CeilingTarget {
  id: string;
  vendor: VendorRow;
  ceiling: Ceiling;
}
export type CeilingInput = Entitlements & { trialDays: number };

interface CeilingFormValues {
  entitlements: FormEntitlements;
  refill: RefillFormValues;
  trialDays: number | null;
}

function toValues(target: CeilingTarget | null): CeilingFormValues {
  const ceiling = target?.ceiling;
  if (!ceiling) return { entitlements: NO_ENTITLEMENTS, refill: refillToForm(null), trialDays: 0 };
  const { trialDays, refill, ...entitlements } = ceiling;
  return { entitlements, refill: refillToForm(refill), trialDays };
}

const toInput = (values: CeilingFormValues): CeilingInput => ({
  ...entitlementsFromForm(values.entitlements, values.refill),
  trialDays: values.trialDays ?? 0,
});

/**
 * Edit what the platform delegates to a vendor: the entitlements form marks use (models and
 * plugins from the whole catalog) plus the longest trial its plans may give.
 */
export function CeilingDrawer({ editor }: { editor: Editor<CeilingTarget, CeilingInput> }) {
  const t = useT();
  const [form] = Form.useForm<CeilingFormValues>();
  const catalog = useEntitlementCatalog();
  return (
    <EditorDrawer
      editor={editor}
      form={form}
      testIdPrefix="ceiling"
      serverFields={CEILING_SERVER_FIELDS}
      toValues={toValues}
      toInput={toInput}
      title={t('ceiling.editTitle', { name: editor.editing?.vendor.name ?? '' })}
      submitLabel={t('common.save')}
    >
      <Typography.Paragraph type="secondary">{t('ceiling.lead')}</Typography.Paragraph>
      <EntitlementsFields catalog={catalog} />
      <Form.Item name="trialDays" label={t('ceiling.trialDays')} extra={t('ceiling.trialHint')}>
        <InputNumber
          min={0}
          max={365}
          precision={0}
          className="full-width"
          data-testid="ceiling-trial-days"
        />
      </Form.Item>
    </EditorDrawer>
  );
}
