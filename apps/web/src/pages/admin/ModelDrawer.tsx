import { Form, Input, Select } from 'antd';
import { EditorDrawer } from '../../components/editor/EditorDrawer.tsx';
import type { Editor } from '../../components/editor/useEditor.ts';
import { CreditsInput } from '../../components/forms/CreditsInput.tsx';
import { SwitchField } from '../../components/forms/SwitchField.tsx';
import { useT } from '../../i18n/useT.ts';
import {
  type AdminModelRow,
  DEMO_PROVIDER_VALUE,
  ENV_PROVIDER_ID,
  MODEL_ID_PATTERN,
  MODEL_SERVER_FIELDS,
  type ModelFields,
  type ModelFormValues,
  modelFieldsFromForm,
  modelToForm,
  NEW_MODEL,
  type ProviderRow,
} from '../../lib/adminModels.ts';
import '../../models.css';

const PRICE_MAX = 1_000_000_000;

/** One provider choice: its name, and what it is underneath. */
function ProviderOption({ name, detail }: { name: string; detail: string }) {
  return (
    <span className="provider-option">
      <span className="provider-option__name">{name}</span>
      <span className="provider-option__detail">{detail}</span>
    </span>
  );
}

/** What the models list saves: the id (fixed once created) and the editable fields. */
export interface ModelInput {
  modelId: string;
  fields: ModelFields;
}

const toInput = (values: ModelFormValues): ModelInput => ({
  modelId: values.modelId.trim(),
  fields: modelFieldsFromForm(values),
});

/**
 * Create or edit a model: its id (fixed once created), name, prices in credits per 1M tokens, the
 * endpoint that serves it and the name it has there. Server errors land on their inputs.
 */
export function ModelDrawer({
  editor,
  providers,
}: {
  editor: Editor<AdminModelRow, ModelInput>;
  providers: ProviderRow[];
}) {
  const t = useT();
  const [form] = Form.useForm<ModelFormValues>();
  const model = editor.editing;

  const required = { required: true, whitespace: true, message: t('fieldErrors.REQUIRED') };
  const priceRules = [{ required: true, message: t('fieldErrors.REQUIRED') }];
  const providerOptions = [
    {
      value: DEMO_PROVIDER_VALUE,
      label: (
        <ProviderOption name={t('aiModels.providerDemo')} detail={t('aiModels.providerDemoHint')} />
      ),
    },
    {
      value: ENV_PROVIDER_ID,
      label: (
        <ProviderOption name={t('aiModels.providerEnv')} detail={t('aiModels.providerEnvHint')} />
      ),
    },
    ...(providers.length > 0
      ? [
          {
            label: t('providers.title'),
            options: providers.map((provider) => ({
              value: provider.id,
              label: (
                <ProviderOption
                  name={
                    provider.active
                      ? provider.name
                      : `${provider.name} (${t('providers.inactive')})`
                  }
                  detail={provider.baseUrl}
                />
              ),
            })),
          },
        ]
      : []),
  ];

  const providerName = (value: string) => {
    if (value === DEMO_PROVIDER_VALUE) return t('aiModels.providerDemo');
    if (value === ENV_PROVIDER_ID) return t('aiModels.providerEnv');
    return providers.find((provider) => provider.id === value)?.name ?? value;
  };

  return (
    <EditorDrawer
      editor={editor}
      form={form}
      testIdPrefix="model"
      serverFields={MODEL_SERVER_FIELDS}
      toValues={(row) => (row ? modelToForm(row) : NEW_MODEL)}
      toInput={toInput}
      size={520}
      title={
        model ? t('aiModels.editTitle', { name: model.displayName }) : t('aiModels.createTitle')
      }
      submitLabel={model ? t('common.save') : t('aiModels.create')}
    >
      <Form.Item
        name="modelId"
        label={t('aiModels.id')}
        extra={model ? t('aiModels.idLocked') : t('aiModels.idHint')}
        rules={[
          required,
          { pattern: MODEL_ID_PATTERN, message: t('fieldErrors.INVALID_IDENTIFIER') },
        ]}
      >
        <Input
          disabled={model !== null}
          placeholder="gpt-4o-mini"
          autoComplete="off"
          data-testid="model-id"
        />
      </Form.Item>
      <Form.Item
        name="displayName"
        label={t('aiModels.name')}
        rules={[required, { max: 80, message: t('fieldErrors.TOO_LONG') }]}
      >
        <Input placeholder={t('aiModels.namePlaceholder')} data-testid="model-name" />
      </Form.Item>
      <div className="ent-fields__grid">
        <Form.Item name="inputPricePerMillion" label={t('aiModels.inputPrice')} rules={priceRules}>
          <CreditsInput min={0} max={PRICE_MAX} data-testid="model-input-price" />
        </Form.Item>
        <Form.Item
          name="outputPricePerMillion"
          label={t('aiModels.outputPrice')}
          rules={priceRules}
        >
          <CreditsInput min={0} max={PRICE_MAX} data-testid="model-output-price" />
        </Form.Item>
      </div>
      <div className="form-note">{t('aiModels.priceHint')}</div>
      <Form.Item
        name="provider"
        label={t('aiModels.provider')}
        rules={[{ required: true, message: t('fieldErrors.REQUIRED') }]}
      >
        <Select
          options={providerOptions}
          // The chosen provider shows its name only; the list also says what each one is.
          labelRender={({ value }) => providerName(String(value))}
          classNames={{ popup: { root: 'provider-select__popup' } }}
          data-testid="model-provider"
        />
      </Form.Item>
      <Form.Item
        name="upstreamModel"
        label={t('aiModels.upstream')}
        extra={t('aiModels.upstreamHint')}
        rules={[{ max: 200, message: t('fieldErrors.TOO_LONG') }]}
      >
        <Input
          placeholder={t('aiModels.upstreamPlaceholder')}
          autoComplete="off"
          data-testid="model-upstream"
        />
      </Form.Item>
      <SwitchField
        name="vision"
        label={t('aiModels.vision')}
        extra={t('aiModels.visionHint')}
        testId="model-vision"
      />
      <SwitchField
        name="active"
        label={t('aiModels.active')}
        extra={t('aiModels.activeHint')}
        testId="model-active"
      />
    </EditorDrawer>
  );
}
