import { AutoComplete, Form, type FormRule, InputNumber, Select, Switch, Typography } from 'antd';
import type { PlainMessageKey } from '../../i18n/translate.ts';
import { useT } from '../../i18n/useT.ts';
import { LimitInput } from '../forms/LimitInput.tsx';
import { RefillPolicyFields } from './RefillPolicyFields.tsx';

/** Model and plugin identifiers, as the entitlements schema accepts them. */
export const IDENTIFIER = /^[a-z0-9][a-z0-9._:/-]*$/;
const IDENTIFIER_MAX = 100;
const LIST_MAX = 200;

const LIMITS: Array<{ name: string; label: PlainMessageKey }> = [
  { name: 'requestsPerDay', label: 'ent.perDay' },
  { name: 'requestsPerMonth', label: 'ent.perMonth' },
  { name: 'requestsPerMinute', label: 'ent.perMinute' },
  { name: 'maxOutputTokens', label: 'ent.maxTokens' },
];

/**
 * The entitlements part of a mark form (fields under `entitlements.*`): models and plugins as
 * tag inputs, each numeric limit with an "Unlimited" box, API access, seats, fallback model, and
 * the credit refill policy (fields under `refill`, with a live preview when `refillPreview` is set).
 */
export function EntitlementsFields({
  refillPreview,
}: {
  refillPreview?: { markId: string | null };
}) {
  const t = useT();
  const models = Form.useWatch<string[] | undefined>(['entitlements', 'models']) ?? [];
  const identifiersRule: FormRule = {
    validator: async (_, value: string[] | undefined) => {
      const list = value ?? [];
      if (list.length > LIST_MAX) throw new Error(t('markForm.tooMany', { max: LIST_MAX }));
      const bad = list.find((item) => item.length > IDENTIFIER_MAX || !IDENTIFIER.test(item));
      if (bad !== undefined) throw new Error(t('markForm.badIdentifier', { value: bad }));
    },
  };
  const tagSelect = (testId: string, placeholder: string) => (
    <Select
      mode="tags"
      tokenSeparators={[',', ' ']}
      suffixIcon={null}
      notFoundContent={null}
      placeholder={placeholder}
      data-testid={testId}
    />
  );

  return (
    <div className="ent-fields">
      <Typography.Title level={5} className="ent-fields__title">
        {t('markForm.entitlements')}
      </Typography.Title>
      <Form.Item
        name={['entitlements', 'models']}
        label={t('ent.models')}
        extra={t('markForm.tagsHint')}
        rules={[identifiersRule]}
      >
        {tagSelect('mark-models', t('markForm.modelsPlaceholder'))}
      </Form.Item>
      <Form.Item
        name={['entitlements', 'plugins']}
        label={t('ent.plugins')}
        rules={[identifiersRule]}
      >
        {tagSelect('mark-plugins', t('markForm.pluginsPlaceholder'))}
      </Form.Item>
      <div className="ent-fields__grid">
        {LIMITS.map((limit) => (
          <Form.Item
            key={limit.name}
            name={['entitlements', limit.name]}
            label={t(limit.label)}
            extra={t('markForm.limitHint')}
          >
            <LimitInput testId={`mark-${limit.name}`} />
          </Form.Item>
        ))}
      </div>
      <div className="ent-fields__grid">
        <Form.Item
          name={['entitlements', 'apiAccess']}
          label={t('ent.api')}
          valuePropName="checked"
        >
          <Switch data-testid="mark-api" />
        </Form.Item>
        <Form.Item name={['entitlements', 'seats']} label={t('ent.seats')}>
          <InputNumber min={0} max={100_000} precision={0} className="full-width" />
        </Form.Item>
      </div>
      <Form.Item
        name={['entitlements', 'fallbackModel']}
        label={t('markForm.fallbackModel')}
        extra={t('markForm.fallbackHint')}
        rules={[{ pattern: IDENTIFIER, message: t('markForm.badIdentifierShort') }]}
      >
        <AutoComplete
          allowClear
          options={models.map((model) => ({ value: model }))}
          placeholder={t('markForm.fallbackPlaceholder')}
        />
      </Form.Item>
      <RefillPolicyFields preview={refillPreview} />
    </div>
  );
}
