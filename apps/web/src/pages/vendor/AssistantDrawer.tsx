import { Alert, App, Button, Drawer, Form, Input, Select, Space, Switch, Typography } from 'antd';
import { useEffect } from 'react';
import { useServerErrors } from '../../components/forms/useServerErrors.ts';
import { useT } from '../../i18n/useT.ts';
import {
  ASSISTANT_LIMITS,
  ASSISTANT_SERVER_FIELDS,
  type AssistantFormValues,
  assistantFieldsFromForm,
  assistantToForm,
  newAssistantValues,
  type VendorAssistantRow,
} from '../../lib/assistants.ts';
import { type ChatModel, type MarkRow, trpc } from '../../lib/trpc.ts';
import '../../models.css';

/**
 * Create or edit one of the vendor's assistants: what it is called, its system prompt, the model
 * it runs on and the vendor mark a member needs to use it. Staff see the same form, read-only.
 */
export function AssistantDrawer({
  open,
  tenantId,
  assistant,
  models,
  marks,
  readOnly,
  onClose,
}: {
  open: boolean;
  tenantId: string;
  assistant: VendorAssistantRow | null;
  models: ChatModel[];
  marks: MarkRow[];
  readOnly: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const [form] = Form.useForm<AssistantFormValues>();
  const onSuccess = () => {
    void message.success(assistant ? t('assistants.saved') : t('assistants.created'));
    void utils.vendor.assistants.list.invalidate({ tenantId });
    void utils.chat.assistants.invalidate();
    onClose();
  };
  const create = trpc.vendor.assistants.create.useMutation({ onSuccess });
  const update = trpc.vendor.assistants.update.useMutation({ onSuccess });
  const mutation = assistant ? update : create;
  const formError = useServerErrors(form, mutation.error, ASSISTANT_SERVER_FIELDS);

  useEffect(() => {
    if (!open) return;
    create.reset();
    update.reset();
    form.resetFields();
    form.setFieldsValue(assistant ? assistantToForm(assistant) : newAssistantValues(models, marks));
  }, [open, assistant, models, marks, form, create.reset, update.reset]);

  const submit = (values: AssistantFormValues) => {
    const fields = assistantFieldsFromForm(values);
    if (assistant) update.mutate({ tenantId, assistantId: assistant.id, fields });
    else create.mutate({ tenantId, fields });
  };

  const required = { required: true, whitespace: true, message: t('fieldErrors.REQUIRED') };
  const chosen = { required: true, message: t('fieldErrors.REQUIRED') };
  const title = assistant
    ? readOnly
      ? assistant.name
      : t('assistants.editTitle', { name: assistant.name })
    : t('assistants.createTitle');

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={560}
      destroyOnHidden
      title={title}
      footer={
        <Space className="drawer-footer">
          {readOnly ? (
            <Button onClick={onClose}>{t('assistants.close')}</Button>
          ) : (
            <>
              <Button onClick={onClose}>{t('common.cancel')}</Button>
              <Button
                type="primary"
                loading={mutation.isPending}
                onClick={() => form.submit()}
                data-testid="assistant-save"
              >
                {assistant ? t('common.save') : t('assistants.create')}
              </Button>
            </>
          )}
        </Space>
      }
      data-testid="assistant-drawer"
    >
      <Form form={form} layout="vertical" onFinish={submit} disabled={readOnly}>
        {readOnly ? (
          <Alert type="info" showIcon className="page-alert" title={t('assistants.readOnly')} />
        ) : null}
        {formError ? (
          <Alert type="error" showIcon className="page-alert" title={formError} />
        ) : null}
        <Form.Item
          name="name"
          label={t('assistants.name')}
          rules={[required, { max: ASSISTANT_LIMITS.name, message: t('fieldErrors.TOO_LONG') }]}
        >
          <Input
            placeholder={t('assistants.namePlaceholder')}
            maxLength={ASSISTANT_LIMITS.name}
            data-testid="assistant-name"
          />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('assistants.description')}
          extra={t('assistants.descriptionHint')}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 4 }}
            maxLength={ASSISTANT_LIMITS.description}
            showCount
            data-testid="assistant-description"
          />
        </Form.Item>
        <Form.Item
          name="systemPrompt"
          label={t('assistants.systemPrompt')}
          extra={t('assistants.systemPromptHint')}
          rules={[required]}
        >
          <Input.TextArea
            autoSize={{ minRows: 6, maxRows: 16 }}
            maxLength={ASSISTANT_LIMITS.systemPrompt}
            showCount
            placeholder={t('assistants.systemPromptPlaceholder')}
            data-testid="assistant-prompt"
          />
        </Form.Item>
        <Form.Item
          name="modelId"
          label={t('assistants.model')}
          extra={t('assistants.modelHint')}
          rules={[chosen]}
        >
          <Select
            showSearch={{ optionFilterProp: 'search' }}
            placeholder={t('assistants.modelPlaceholder')}
            options={models.map((model) => ({
              value: model.id,
              search: `${model.displayName} ${model.id}`,
              label: (
                <span className="model-choice">
                  <span>{model.displayName}</span>
                  <span className="model-choice__id">{model.id}</span>
                </span>
              ),
            }))}
            labelRender={({ value }) =>
              models.find((model) => model.id === value)?.displayName ?? String(value)
            }
            data-testid="assistant-model"
          />
        </Form.Item>
        <Form.Item
          name="markId"
          label={t('assistants.mark')}
          extra={t('assistants.markHint')}
          rules={[chosen]}
        >
          <Select
            placeholder={t('assistants.markPlaceholder')}
            options={marks.map((mark) => ({
              value: mark.id,
              label: (
                <span className="mark-option">
                  {mark.name}
                  <Typography.Text code>{mark.key}</Typography.Text>
                </span>
              ),
            }))}
            notFoundContent={t('assistants.noMarks')}
            data-testid="assistant-mark"
          />
        </Form.Item>
        <Form.Item
          name="active"
          label={t('assistants.active')}
          valuePropName="checked"
          extra={t('assistants.activeHint')}
        >
          <Switch data-testid="assistant-active" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
