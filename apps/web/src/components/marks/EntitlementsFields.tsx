import { Form, InputNumber, Select, Typography } from 'antd';
import type { PlainMessageKey } from '../../i18n/translate.ts';
import { useT } from '../../i18n/useT.ts';
import type { EntitlementCatalog } from '../../lib/catalog.ts';
import { LimitInput } from '../forms/LimitInput.tsx';
import { SwitchField } from '../forms/SwitchField.tsx';
import { RefillPolicyFields } from './RefillPolicyFields.tsx';

export type { EntitlementCatalog } from '../../lib/catalog.ts';

const LIMITS: Array<{ name: string; label: PlainMessageKey }> = [
  { name: 'requestsPerDay', label: 'ent.perDay' },
  { name: 'requestsPerMonth', label: 'ent.perMonth' },
  { name: 'requestsPerMinute', label: 'ent.perMinute' },
  { name: 'maxOutputTokens', label: 'ent.maxTokens' },
];

/**
 * The entitlements part of a mark or ceiling form (fields under `entitlements.*`): models and
 * plugins picked from `catalog` (never typed: an unknown id would only be refused on save), each
 * numeric limit with an "Unlimited" box, API access, seats, fallback model, and the credit refill
 * policy (fields under `refill`, with a live preview when `refillPreview` is set).
 */
export function EntitlementsFields({
  catalog,
  refillPreview,
}: {
  catalog: EntitlementCatalog;
  refillPreview?: { markId: string | null };
}) {
  const t = useT();
  const picker = (testId: string, options: EntitlementCatalog['models'], placeholder: string) => (
    <Select
      mode="multiple"
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      options={options}
      placeholder={placeholder}
      data-testid={testId}
    />
  );

  return (
    <div className="ent-fields">
      <Typography.Title level={5} className="ent-fields__title">
        {t('markForm.entitlements')}
      </Typography.Title>
      <Form.Item name={['entitlements', 'models']} label={t('ent.models')}>
        {picker('mark-models', catalog.models, t('markForm.modelsPlaceholder'))}
      </Form.Item>
      <Form.Item name={['entitlements', 'plugins']} label={t('ent.plugins')}>
        {picker('mark-plugins', catalog.plugins, t('markForm.pluginsPlaceholder'))}
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
        <SwitchField name={['entitlements', 'apiAccess']} label={t('ent.api')} testId="mark-api" />
        <Form.Item name={['entitlements', 'seats']} label={t('ent.seats')}>
          <InputNumber min={0} max={100_000} precision={0} className="full-width" />
        </Form.Item>
      </div>
      <Form.Item
        name={['entitlements', 'fallbackModel']}
        label={t('markForm.fallbackModel')}
        extra={t('markForm.fallbackHint')}
      >
        <Select
          allowClear
          options={catalog.models}
          placeholder={t('markForm.fallbackPlaceholder')}
        />
      </Form.Item>
      <RefillPolicyFields preview={refillPreview} />
    </div>
  );
}
