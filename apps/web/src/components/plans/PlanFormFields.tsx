import { Form, Input, InputNumber, Radio, Select } from 'antd';
import { useT } from '../../i18n/useT.ts';
import type { MarkRow } from '../../lib/trpc.ts';
import { PriceFields } from '../forms/PriceFields.tsx';
import { SwitchField } from '../forms/SwitchField.tsx';

export interface PlanFormValues {
  markId: string | undefined;
  /** New plans only: the key is fixed once the plan exists. */
  slug?: string;
  name: string;
  description: string;
  /** In major units (dollars), converted to `priceMinor` on submit. */
  price: number | null;
  currency: string;
  interval: 'month' | 'year' | 'once';
  durationDays: number | null;
  trialDays: number | null;
  seats: number | null;
  stripePriceId: string;
  active: boolean;
  sortOrder: number | null;
}

/** Lowercase letters, digits and hyphens, as the server's slug schema takes. */
const SLUG_PATTERN = /^[a-z0-9-]+$/;

export function PlanFormFields({ marks, isNew }: { marks: MarkRow[]; isNew: boolean }) {
  const t = useT();
  const required = { required: true, message: t('fieldErrors.REQUIRED') };

  return (
    <>
      <Form.Item name="markId" label={t('planForm.mark')} rules={[required]}>
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('planForm.markPlaceholder')}
          options={marks.map((mark) => ({ value: mark.id, label: `${mark.name} (${mark.key})` }))}
          data-testid="plan-mark"
        />
      </Form.Item>
      <Form.Item
        name="name"
        label={t('planForm.name')}
        rules={[
          { ...required, whitespace: true },
          { max: 80, message: t('fieldErrors.TOO_LONG') },
        ]}
      >
        <Input placeholder={t('planForm.namePlaceholder')} data-testid="plan-name" />
      </Form.Item>
      {isNew ? (
        <Form.Item
          name="slug"
          label={t('planForm.slug')}
          extra={t('planForm.slugHint')}
          rules={[
            { max: 48, message: t('fieldErrors.SLUG_TOO_LONG') },
            { pattern: SLUG_PATTERN, message: t('fieldErrors.SLUG_INVALID') },
          ]}
        >
          <Input placeholder="pro-monthly" autoComplete="off" data-testid="plan-slug" />
        </Form.Item>
      ) : null}
      <PriceFields
        labels={{
          price: t('planForm.price'),
          priceHint: t('planForm.priceHint'),
          currency: t('planForm.currency'),
        }}
        testId="plan-price"
      />
      <Form.Item name="interval" label={t('planForm.interval')} rules={[required]}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'month', label: t('interval.month') },
            { value: 'year', label: t('interval.year') },
            { value: 'once', label: t('interval.once') },
          ]}
        />
      </Form.Item>
      <div className="ent-fields__grid">
        <Form.Item
          name="durationDays"
          label={t('planForm.durationDays')}
          extra={t('planForm.durationHint')}
        >
          <InputNumber
            min={1}
            max={36_500}
            precision={0}
            placeholder={t('planForm.durationDefault')}
            className="full-width"
          />
        </Form.Item>
        <Form.Item name="trialDays" label={t('planForm.trialDays')} extra={t('planForm.trialHint')}>
          <InputNumber min={0} max={365} precision={0} className="full-width" />
        </Form.Item>
        <Form.Item name="seats" label={t('planForm.seats')} extra={t('planForm.seatsHint')}>
          <InputNumber
            min={1}
            max={100_000}
            precision={0}
            placeholder={t('planForm.seatsNone')}
            className="full-width"
          />
        </Form.Item>
        <Form.Item name="sortOrder" label={t('planForm.sortOrder')}>
          <InputNumber min={-1000} max={1000} precision={0} className="full-width" />
        </Form.Item>
      </div>
      <Form.Item
        name="stripePriceId"
        label={t('planForm.stripePriceId')}
        extra={t('planForm.stripeHint')}
        rules={[{ max: 200, message: t('fieldErrors.TOO_LONG') }]}
      >
        <Input placeholder="price_…" autoComplete="off" data-testid="plan-stripe-price" />
      </Form.Item>
      <SwitchField name="active" label={t('planForm.active')} extra={t('planForm.activeHint')} />
    </>
  );
}
