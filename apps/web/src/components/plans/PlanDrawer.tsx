import { Form, Input } from 'antd';
import { useT } from '../../i18n/useT.ts';
import { majorToMinor, minorToMajor } from '../../lib/money.ts';
import type { MarkRow, PlanRow } from '../../lib/trpc.ts';
import { EditorDrawer } from '../editor/EditorDrawer.tsx';
import type { Editor } from '../editor/useEditor.ts';
import type { FieldMap } from '../forms/useServerErrors.ts';
import { PlanFormFields, type PlanFormValues } from './PlanFormFields.tsx';

export interface PlanInput {
  markId: string;
  /** New plans only: the plan's key on the platform (a vendor's is prefixed); empty = from the name. */
  slug?: string;
  fields: {
    name: string;
    description: string;
    priceMinor: number;
    currency: string;
    interval: 'month' | 'year' | 'once';
    durationDays: number | null;
    trialDays: number;
    seats: number | null;
    stripePriceId: string | null;
    active: boolean;
    sortOrder: number;
  };
}

// Validation, at the router or in the domain, names the full path (`fields.priceMinor`); the
// domain refuses a taken slug and a Stripe price linked elsewhere under the bare key.
const SERVER_FIELDS: FieldMap = {
  markId: 'markId',
  slug: 'slug',
  stripePriceId: 'stripePriceId',
  'fields.priceMinor': 'price',
  ...Object.fromEntries(
    [
      'name',
      'description',
      'currency',
      'interval',
      'durationDays',
      'trialDays',
      'seats',
      'stripePriceId',
      'active',
      'sortOrder',
    ].map((name) => [`fields.${name}`, name]),
  ),
};

const NEW_PLAN: Omit<PlanFormValues, 'markId'> = {
  slug: '',
  name: '',
  description: '',
  price: 0,
  currency: 'usd',
  interval: 'month',
  durationDays: null,
  trialDays: 0,
  seats: null,
  stripePriceId: '',
  active: true,
  sortOrder: 0,
};

function toFormValues(plan: PlanRow): PlanFormValues {
  return {
    markId: plan.markId,
    name: plan.name,
    description: plan.description,
    price: minorToMajor(plan.priceMinor, plan.currency),
    currency: plan.currency,
    interval: plan.interval,
    durationDays: plan.durationDays,
    trialDays: plan.trialDays,
    seats: plan.seats,
    stripePriceId: plan.stripePriceId ?? '',
    active: plan.active,
    sortOrder: plan.sortOrder,
  };
}

function toInput(values: PlanFormValues): PlanInput {
  const currency = values.currency.trim().toLowerCase();
  const slug = values.slug?.trim();
  return {
    markId: values.markId ?? '',
    // Only a new plan's form has the field; left empty, the server derives the slug from the name.
    ...(slug ? { slug } : {}),
    fields: {
      name: values.name.trim(),
      description: values.description ?? '',
      priceMinor: majorToMinor(values.price ?? 0, currency),
      currency,
      interval: values.interval,
      durationDays: values.durationDays ?? null,
      trialDays: values.trialDays ?? 0,
      seats: values.seats ?? null,
      stripePriceId: values.stripePriceId?.trim() || null,
      active: values.active,
      sortOrder: values.sortOrder ?? 0,
    },
  };
}

/**
 * Create or edit a plan of one tenant; the price is typed in major units and sent in minor.
 * `marksFor(plan)` lists the marks the plan may grant: the plan's own tenant's.
 */
export function PlanDrawer({
  editor,
  marksFor,
}: {
  editor: Editor<PlanRow, PlanInput>;
  marksFor: (plan: PlanRow | null) => MarkRow[];
}) {
  const t = useT();
  const [form] = Form.useForm<PlanFormValues>();
  const plan = editor.editing;
  const marks = marksFor(plan);
  return (
    <EditorDrawer
      editor={editor}
      form={form}
      testIdPrefix="plan"
      serverFields={SERVER_FIELDS}
      toValues={(row) => (row ? toFormValues(row) : { ...NEW_PLAN, markId: marks[0]?.id })}
      toInput={toInput}
      title={plan ? t('planForm.editTitle', { name: plan.name }) : t('planForm.createTitle')}
      submitLabel={plan ? t('common.save') : t('planForm.create')}
    >
      <PlanFormFields marks={marks} isNew={plan === null} />
      <Form.Item name="description" label={t('planForm.description')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} />
      </Form.Item>
    </EditorDrawer>
  );
}
