import { Alert, Form, Input, Select, Typography } from 'antd';
import { EditorDrawer } from '../../components/editor/EditorDrawer.tsx';
import type { Editor } from '../../components/editor/useEditor.ts';
import { SwitchField } from '../../components/forms/SwitchField.tsx';
import { useT } from '../../i18n/useT.ts';
import {
  ASSISTANT_LIMITS,
  ASSISTANT_SERVER_FIELDS,
  type AssistantFields,
  type AssistantFormValues,
  assistantFieldsFromForm,
  assistantToForm,
  newAssistantValues,
  type VendorAssistantRow,
} from '../../lib/assistants.ts';
import type { ChatModel, MarkRow } from '../../lib/trpc.ts';
import '../../models.css';

/**
 * Create or edit one of the vendor's assistants: what it is called, its system prompt, the model
 * it runs on (switched-on models within the vendor's ceiling) and the vendor mark a member needs
 * to use it. Staff see the same form, read-only.
 */
export function AssistantDrawer({
  editor,
  models,
  marks,
  readOnly,
}: {
  editor: Editor<VendorAssistantRow, AssistantFields>;
  models: ChatModel[];
  marks: MarkRow[];
  readOnly: boolean;
}) {
  const t = useT();
  const [form] = Form.useForm<AssistantFormValues>();
  const assistant = editor.editing;

  const required = { required: true, whitespace: true, message: t('fieldErrors.REQUIRED') };
  const chosen = { required: true, message: t('fieldErrors.REQUIRED') };
  const title = assistant
    ? readOnly
      ? assistant.name
      : t('assistants.editTitle', { name: assistant.name })
    : t('assistants.createTitle');

  return (
    <EditorDrawer
      editor={editor}
      form={form}
      testIdPrefix="assistant"
      serverFields={ASSISTANT_SERVER_FIELDS}
      toValues={(row) => (row ? assistantToForm(row) : newAssistantValues(models, marks))}
      toInput={assistantFieldsFromForm}
      readOnly={readOnly}
      title={title}
      submitLabel={assistant ? t('common.save') : t('assistants.create')}
    >
      {readOnly ? (
        <Alert type="info" showIcon className="page-alert" title={t('assistants.readOnly')} />
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
      <SwitchField
        name="active"
        label={t('assistants.active')}
        extra={t('assistants.activeHint')}
        testId="assistant-active"
      />
    </EditorDrawer>
  );
}
