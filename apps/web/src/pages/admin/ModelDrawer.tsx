import { Alert, App, Button, Drawer, Form, Input, Select, Space, Switch } from 'antd';
import { useEffect } from 'react';
import { CreditsInput } from '../../components/forms/CreditsInput.tsx';
import { useServerErrors } from '../../components/forms/useServerErrors.ts';
import { useT } from '../../i18n/useT.ts';
import {
  type AdminModelRow,
  DEMO_PROVIDER_VALUE,
  ENV_PROVIDER_ID,
  MODEL_ID_PATTERN,
  MODEL_SERVER_FIELDS,
  type ModelFormValues,
  modelFieldsFromForm,
  modelToForm,
  NEW_MODEL,
  type ProviderRow,
} from '../../lib/adminModels.ts';
import { trpc } from '../../lib/trpc.ts';
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

/**
 * Create or edit a model: its id (fixed once created), name, prices in credits per 1M tokens, the
 * endpoint that serves it and the name it has there. Server errors land on their inputs.
 */
export function ModelDrawer({
  open,
  model,
  providers,
  onClose,
}: {
  open: boolean;
  model: AdminModelRow | null;
  providers: ProviderRow[];
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const [form] = Form.useForm<ModelFormValues>();
  const onSuccess = () => {
    void message.success(model ? t('aiModels.saved') : t('aiModels.created'));
    void utils.admin.models.list.invalidate();
    void utils.chat.models.invalidate();
    onClose();
  };
  const create = trpc.admin.models.create.useMutation({ onSuccess });
  const update = trpc.admin.models.update.useMutation({ onSuccess });
  const mutation = model ? update : create;
  const formError = useServerErrors(form, mutation.error, MODEL_SERVER_FIELDS);

  useEffect(() => {
    if (!open) return;
    create.reset();
    update.reset();
    form.resetFields();
    form.setFieldsValue(model ? modelToForm(model) : NEW_MODEL);
  }, [open, model, form, create.reset, update.reset]);

  const submit = (values: ModelFormValues) => {
    const fields = modelFieldsFromForm(values);
    if (model) update.mutate({ modelId: model.id, fields });
    else create.mutate({ modelId: values.modelId.trim(), fields });
  };

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
    <Drawer
      open={open}
      onClose={onClose}
      size={520}
      destroyOnHidden
      title={
        model ? t('aiModels.editTitle', { name: model.displayName }) : t('aiModels.createTitle')
      }
      footer={
        <Space className="drawer-footer">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={mutation.isPending}
            onClick={() => form.submit()}
            data-testid="model-save"
          >
            {model ? t('common.save') : t('aiModels.create')}
          </Button>
        </Space>
      }
      data-testid="model-drawer"
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        {formError ? (
          <Alert type="error" showIcon className="page-alert" title={formError} />
        ) : null}
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
          <Form.Item
            name="inputPricePerMillion"
            label={t('aiModels.inputPrice')}
            rules={priceRules}
          >
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
        <Form.Item
          name="active"
          label={t('aiModels.active')}
          valuePropName="checked"
          extra={t('aiModels.activeHint')}
        >
          <Switch data-testid="model-active" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
