import { Alert, App, Form, Input, Modal } from 'antd';
import { useEffect } from 'react';
import { type FieldMap, useServerErrors } from '../../components/forms/useServerErrors.ts';
import { useLocale } from '../../i18n/useT.ts';
import { testId } from '../../lib/testId.ts';
import { trpc } from '../../lib/trpc.ts';

interface VendorValues {
  slug: string;
  name: string;
  ownerEmail: string;
}
const FIELDS: FieldMap = { slug: 'slug', name: 'name', ownerEmail: 'ownerEmail' };

/** Create a vendor tenant; the owner must already have an account. */
export function CreateVendorModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const [form] = Form.useForm<VendorValues>();
  const create = trpc.admin.vendors.create.useMutation({
    onSuccess: (vendor) => {
      void message.success(t('vendors.created', { name: vendor.name }));
      onClose();
    },
    onSettled: () =>
      Promise.all([utils.admin.vendors.list.invalidate(), utils.vendor.mine.invalidate()]),
  });
  const formError = useServerErrors(form, create.error, FIELDS);
  const slug = Form.useWatch('slug', form) ?? '';
  useEffect(() => {
    if (open) {
      form.resetFields();
      create.reset();
    }
  }, [open, form, create.reset]);

  const required = { required: true, whitespace: true, message: t('fieldErrors.REQUIRED') };
  return (
    <Modal
      open={open}
      title={t('vendors.createTitle')}
      okText={t('vendors.create')}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      okButtonProps={{ ...testId('vendor-submit') }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) =>
          create.mutate({
            slug: values.slug.trim(),
            name: values.name.trim(),
            ownerEmail: values.ownerEmail.trim(),
          })
        }
      >
        {formError ? (
          <Alert type="error" showIcon className="page-alert" title={formError} />
        ) : null}
        <Form.Item
          name="slug"
          label={t('vendors.slug')}
          extra={t('vendors.slugHint', { example: `${slug.trim() || 'acme'}:pro` })}
          rules={[
            required,
            { pattern: /^[a-z0-9-]+$/, message: t('fieldErrors.SLUG_INVALID') },
            { max: 48, message: t('fieldErrors.SLUG_TOO_LONG') },
          ]}
        >
          <Input placeholder="acme" autoComplete="off" data-testid="vendor-slug" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('vendors.name')}
          rules={[required, { max: 80, message: t('fieldErrors.TOO_LONG') }]}
        >
          <Input placeholder={t('vendors.namePlaceholder')} data-testid="vendor-name" />
        </Form.Item>
        <Form.Item
          name="ownerEmail"
          label={t('vendors.ownerEmail')}
          extra={t('vendors.ownerHint')}
          rules={[required, { type: 'email', message: t('validation.emailInvalid') }]}
        >
          <Input type="email" placeholder="owner@example.com" data-testid="vendor-owner" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
