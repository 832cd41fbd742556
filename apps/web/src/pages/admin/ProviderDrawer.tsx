import { Alert, App, Button, Drawer, Form, Input, Space, Switch } from 'antd';
import { useEffect } from 'react';
import { useServerErrors } from '../../components/forms/useServerErrors.ts';
import { useT } from '../../i18n/useT.ts';
import {
  NEW_PROVIDER,
  PROVIDER_SERVER_FIELDS,
  type ProviderFormValues,
  type ProviderRow,
  providerFieldsFromForm,
  providerToForm,
} from '../../lib/adminModels.ts';
import { trpc } from '../../lib/trpc.ts';

const URL_PATTERN = /^https?:\/\/\S+$/i;

/**
 * Create or edit an OpenAI-compatible endpoint. The API key is write-only: the form never shows
 * the stored one, and on edit an empty field keeps it (only a typed key is sent).
 */
export function ProviderDrawer({
  open,
  provider,
  onClose,
}: {
  open: boolean;
  provider: ProviderRow | null;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const [form] = Form.useForm<ProviderFormValues>();
  const onSuccess = () => {
    void message.success(provider ? t('providers.saved') : t('providers.created'));
    void utils.admin.models.providers.list.invalidate();
    onClose();
  };
  const create = trpc.admin.models.providers.create.useMutation({ onSuccess });
  const update = trpc.admin.models.providers.update.useMutation({ onSuccess });
  const mutation = provider ? update : create;
  const formError = useServerErrors(form, mutation.error, PROVIDER_SERVER_FIELDS);

  useEffect(() => {
    if (!open) return;
    create.reset();
    update.reset();
    form.resetFields();
    form.setFieldsValue(provider ? providerToForm(provider) : NEW_PROVIDER);
  }, [open, provider, form, create.reset, update.reset]);

  const submit = (values: ProviderFormValues) => {
    const fields = providerFieldsFromForm(values);
    if (provider) update.mutate({ providerId: provider.id, fields });
    else create.mutate({ fields });
  };

  const required = { required: true, whitespace: true, message: t('fieldErrors.REQUIRED') };
  const keyHint = provider
    ? provider.apiKeySet
      ? t('providers.apiKeyKeep')
      : t('providers.apiKeyNoneYet')
    : t('providers.apiKeyOptional');

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={480}
      destroyOnHidden
      title={
        provider ? t('providers.editTitle', { name: provider.name }) : t('providers.createTitle')
      }
      footer={
        <Space className="drawer-footer">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={mutation.isPending}
            onClick={() => form.submit()}
            data-testid="provider-save"
          >
            {provider ? t('common.save') : t('providers.create')}
          </Button>
        </Space>
      }
      data-testid="provider-drawer"
    >
      <Form form={form} layout="vertical" onFinish={submit} autoComplete="off">
        {formError ? (
          <Alert type="error" showIcon className="page-alert" title={formError} />
        ) : null}
        <Form.Item
          name="name"
          label={t('providers.name')}
          rules={[required, { max: 80, message: t('fieldErrors.TOO_LONG') }]}
        >
          <Input placeholder={t('providers.namePlaceholder')} data-testid="provider-name" />
        </Form.Item>
        <Form.Item
          name="baseUrl"
          label={t('providers.baseUrl')}
          extra={t('providers.baseUrlHint')}
          rules={[required, { pattern: URL_PATTERN, message: t('providers.baseUrlInvalid') }]}
        >
          <Input placeholder="https://api.openai.com/v1" data-testid="provider-base-url" />
        </Form.Item>
        <Form.Item
          name="apiKey"
          label={t('providers.apiKey')}
          extra={keyHint}
          rules={[{ max: 500, message: t('fieldErrors.TOO_LONG') }]}
        >
          <Input.Password
            placeholder={provider?.apiKeySet ? t('providers.apiKeyKeepPlaceholder') : 'sk-…'}
            autoComplete="new-password"
            data-testid="provider-api-key"
          />
        </Form.Item>
        <Form.Item
          name="active"
          label={t('providers.active')}
          valuePropName="checked"
          extra={t('providers.activeHint')}
        >
          <Switch data-testid="provider-active" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
