import { Alert, Button, Drawer, Form, Input, Space } from 'antd';
import { useEffect } from 'react';
import { useT } from '../../i18n/useT.ts';
import { type RefillFormValues, refillFromForm, refillToForm } from '../../lib/refillPolicy.ts';
import type { Entitlements, MarkRow } from '../../lib/trpc.ts';
import { type FieldMap, useServerErrors } from '../forms/useServerErrors.ts';
import { EntitlementsFields } from './EntitlementsFields.tsx';

export interface MarkInput {
  slug: string;
  name: string;
  description: string;
  entitlements: Entitlements;
}

type FormEntitlements = Omit<Entitlements, 'refill' | 'fallbackModel'> & {
  fallbackModel?: string | null;
};
interface MarkFormValues {
  slug: string;
  name: string;
  description: string;
  entitlements: FormEntitlements;
  refill: RefillFormValues;
}

const NEW_MARK: MarkFormValues = {
  slug: '',
  name: '',
  description: '',
  entitlements: {
    models: [],
    plugins: [],
    requestsPerDay: 0,
    requestsPerMonth: 0,
    requestsPerMinute: 0,
    maxOutputTokens: 0,
    apiAccess: false,
    seats: 0,
    fallbackModel: null,
  },
  refill: refillToForm(null),
};

// Router-level validation reports nested issues under `entitlements` only (shown above the form);
// domain validation names the full path, which lands on the field.
const SERVER_FIELDS: FieldMap = {
  slug: 'slug',
  name: 'name',
  description: 'description',
  ...Object.fromEntries(
    [
      'models',
      'plugins',
      'requestsPerDay',
      'requestsPerMonth',
      'requestsPerMinute',
      'maxOutputTokens',
      'apiAccess',
      'seats',
      'fallbackModel',
    ].map((name) => [`entitlements.${name}`, ['entitlements', name]]),
  ),
  'entitlements.refill.amount': ['refill', 'amount'],
  'entitlements.refill.every.value': ['refill', 'everyValue'],
  'entitlements.refill.every.unit': ['refill', 'everyUnit'],
  'entitlements.refill.strategy': ['refill', 'strategy'],
  'entitlements.refill.cap': ['refill', 'cap'],
  'entitlements.refill.mode': ['refill', 'mode'],
  'entitlements.refill.grades': ['refill', 'grades'],
};
const SLUG = /^[a-z0-9-]+$/;

/**
 * Create or edit a mark (platform or vendor). The slug shows the key it will produce: `pro` on
 * the platform, `acme:pro` for a vendor (`keyPrefix` = `acme:`). `refillPreview` turns on the
 * refill policy's live preview (platform admins only).
 */
export function MarkDrawer({
  open,
  mark,
  keyPrefix,
  saving,
  error,
  onClose,
  onSubmit,
  refillPreview = false,
}: {
  open: boolean;
  mark: MarkRow | null;
  keyPrefix: string;
  saving: boolean;
  error: unknown;
  onClose: () => void;
  onSubmit: (input: MarkInput) => void;
  refillPreview?: boolean;
}) {
  const t = useT();
  const [form] = Form.useForm<MarkFormValues>();
  const formError = useServerErrors(form, error, SERVER_FIELDS);
  const slug = Form.useWatch('slug', form) ?? '';

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      mark
        ? {
            slug: mark.slug,
            name: mark.name,
            description: mark.description,
            entitlements: { ...mark.entitlements },
            refill: refillToForm(mark.entitlements.refill),
          }
        : NEW_MARK,
    );
  }, [open, mark, form]);

  const submit = (values: MarkFormValues) => {
    const { fallbackModel, ...rest } = values.entitlements;
    onSubmit({
      slug: values.slug.trim(),
      name: values.name.trim(),
      description: values.description ?? '',
      entitlements: {
        ...rest,
        fallbackModel: fallbackModel?.trim() || null,
        // The form's rules have checked the policy; incomplete would mean a bug, so keep none.
        refill: refillFromForm(values.refill) ?? null,
      },
    });
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={560}
      destroyOnHidden
      title={mark ? t('markForm.editTitle', { name: mark.name }) : t('markForm.createTitle')}
      footer={
        <Space className="drawer-footer">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={saving}
            onClick={() => form.submit()}
            data-testid="mark-save"
          >
            {mark ? t('common.save') : t('markForm.create')}
          </Button>
        </Space>
      }
      data-testid="mark-drawer"
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        {formError ? (
          <Alert type="error" showIcon className="page-alert" title={formError} />
        ) : null}
        <Form.Item
          name="slug"
          label={t('markForm.slug')}
          extra={t('markForm.keyPreview', { key: `${keyPrefix}${slug.trim() || '…'}` })}
          rules={[
            { required: true, whitespace: true, message: t('fieldErrors.REQUIRED') },
            { pattern: SLUG, message: t('fieldErrors.SLUG_INVALID') },
            { max: 48, message: t('fieldErrors.SLUG_TOO_LONG') },
          ]}
        >
          <Input
            prefix={keyPrefix ? <span className="muted">{keyPrefix}</span> : undefined}
            placeholder="pro"
            autoComplete="off"
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
          refillPreview={refillPreview ? { markId: mark?.id ?? null } : undefined}
        />
      </Form>
    </Drawer>
  );
}
