import { Form, Input } from 'antd';
import { useT } from '../../i18n/useT.ts';
import {
  ENTITLEMENT_SERVER_FIELDS,
  entitlementsFromForm,
  type FormEntitlements,
  NO_ENTITLEMENTS,
} from '../../lib/entitlementForm.ts';
import { type RefillFormValues, refillToForm } from '../../lib/refillPolicy.ts';
import type { Entitlements, MarkRow } from '../../lib/trpc.ts';
import { EditorDrawer } from '../editor/EditorDrawer.tsx';
import type { Editor } from '../editor/useEditor.ts';
import type { FieldMap } from '../forms/useServerErrors.ts';
import { type EntitlementCatalog, EntitlementsFields } from './EntitlementsFields.tsx';

export interface MarkInput {
  slug: string;
  name: string;
  description: string;
  entitlements: Entitlements;
}

interface MarkFormValues {
  slug: string;
  name: string;
  description: string;
  entitlements: FormEntitlements;
  refill: RefillFormValues;
}

// Router-level validation reports nested issues under `entitlements` only (shown above the form);
// domain validation names the full path, which lands on the field.
const SERVER_FIELDS: FieldMap = {
  slug: 'slug',
  name: 'name',
  description: 'description',
  ...ENTITLEMENT_SERVER_FIELDS,
};
const SLUG = /^[a-z0-9-]+$/;

function toValues(mark: MarkRow | null): MarkFormValues {
  if (!mark) {
    return {
      slug: '',
      name: '',
      description: '',
      entitlements: NO_ENTITLEMENTS,
      refill: refillToForm(null),
    };
  }
  return {
    slug: mark.slug,
    name: mark.name,
    description: mark.description,
    entitlements: { ...mark.entitlements },
    refill: refillToForm(mark.entitlements.refill),
  };
}

function toInput(values: MarkFormValues): MarkInput {
  return {
    slug: values.slug.trim(),
    name: values.name.trim(),
    description: values.description ?? '',
    entitlements: entitlementsFromForm(values.entitlements, values.refill),
  };
}

/**
 * Create or edit a mark (platform or vendor). The slug shows the key it will produce: `pro` on
 * the platform, `acme:pro` for a vendor (`keyPrefix` = `acme:`). `refillPreview` turns on the
 * refill policy's live preview (platform admins only); `catalog` is what the pickers offer.
 */
export function MarkDrawer({
  editor,
  keyPrefix,
  catalog,
  refillPreview = false,
}: {
  editor: Editor<MarkRow, MarkInput>;
  keyPrefix: (mark: MarkRow | null) => string;
  catalog: EntitlementCatalog;
  refillPreview?: boolean;
}) {
  const t = useT();
  const [form] = Form.useForm<MarkFormValues>();
  const slug = Form.useWatch('slug', form) ?? '';
  const mark = editor.editing;
  const prefix = keyPrefix(mark);

  return (
    <EditorDrawer
      editor={editor}
      form={form}
      testIdPrefix="mark"
      serverFields={SERVER_FIELDS}
      toValues={toValues}
      toInput={toInput}
      title={mark ? t('markForm.editTitle', { name: mark.name }) : t('markForm.createTitle')}
      submitLabel={mark ? t('common.save') : t('markForm.create')}
    >
      <Form.Item
        name="slug"
        label={t('markForm.slug')}
        extra={t('markForm.keyPreview', { key: `${prefix}${slug.trim() || '…'}` })}
        rules={[
          { required: true, whitespace: true, message: t('fieldErrors.REQUIRED') },
          { pattern: SLUG, message: t('fieldErrors.SLUG_INVALID') },
          { max: 48, message: t('fieldErrors.SLUG_TOO_LONG') },
        ]}
      >
        <Input
          prefix={prefix ? <span className="muted">{prefix}</span> : undefined}
          placeholder="pro"
          data-testid="mark-slug"
        />
      </Form.Item>
      <Form.Item
        name="name"
        label={t('markForm.name')}
        rules={[
          { required: true, whitespace: true, message: t('fieldErrors.REQUIRED') },
          { max: 80, message: t('fieldErrors.TOO_LONG') },
        ]}
      >
        <Input placeholder={t('markForm.namePlaceholder')} data-testid="mark-name" />
      </Form.Item>
      <Form.Item
        name="description"
        label={t('markForm.description')}
        rules={[{ max: 2000, message: t('fieldErrors.TOO_LONG') }]}
      >
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} />
      </Form.Item>
      <EntitlementsFields
        catalog={catalog}
        refillPreview={refillPreview ? { markId: mark?.id ?? null } : undefined}
      />
    </EditorDrawer>
  );
}
