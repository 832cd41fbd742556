import { Form, Input } from 'antd';
import { EditorDrawer } from '../../components/editor/EditorDrawer.tsx';
import type { Editor } from '../../components/editor/useEditor.ts';
import { SwitchField } from '../../components/forms/SwitchField.tsx';
import { useT } from '../../i18n/useT.ts';
import {
  NEW_PROVIDER,
  PROVIDER_SERVER_FIELDS,
  type ProviderFields,
  type ProviderFormValues,
  type ProviderRow,
  providerFieldsFromForm,
  providerToForm,
} from '../../lib/adminModels.ts';

const URL_PATTERN = /^https?:\/\/\S+$/i;

/**
 * Create or edit an OpenAI-compatible endpoint. The API key is write-only: the form never shows
 * the stored one, and on edit an empty field keeps it (only a typed key is sent).
 */
export function ProviderDrawer({ editor }: { editor: Editor<ProviderRow, ProviderFields> }) {
  const t = useT();
  const [form] = Form.useForm<ProviderFormValues>();
  const provider = editor.editing;

  const required = { required: true, whitespace: true, message: t('fieldErrors.REQUIRED') };
  const keyHint = provider
    ? provider.apiKeySet
      ? t('providers.apiKeyKeep')
      : t('providers.apiKeyNoneYet')
    : t('providers.apiKeyOptional');

  return (
    <EditorDrawer
      editor={editor}
      form={form}
      testIdPrefix="provider"
      serverFields={PROVIDER_SERVER_FIELDS}
      toValues={(row) => (row ? providerToForm(row) : NEW_PROVIDER)}
      toInput={providerFieldsFromForm}
      size={480}
      title={
        provider ? t('providers.editTitle', { name: provider.name }) : t('providers.createTitle')
      }
      submitLabel={provider ? t('common.save') : t('providers.create')}
    >
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
      <SwitchField
        name="active"
        label={t('providers.active')}
        extra={t('providers.activeHint')}
        testId="provider-active"
      />
    </EditorDrawer>
  );
}
