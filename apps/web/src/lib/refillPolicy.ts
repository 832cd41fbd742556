import type { Locale, TranslateFn } from '../i18n/translate.ts';
import { formatCredits } from './credits.ts';
import { formatMoment } from './format.ts';
import type { RefillPolicy, RefillPreview } from './trpc.ts';

export type RefillUnit = RefillPolicy['every']['unit'];
export const REFILL_UNITS: readonly RefillUnit[] = ['hour', 'day', 'week', 'month'];
/** As the entitlements schema has them. */
export const CREDITS_MAX = 1_000_000_000_000;
export const EVERY_MAX = 1000;
export const MIN_REQUESTS_MAX = 1_000_000;
export const GRADES_MAX = 10;

export interface GradeFormValues {
  minRequests7d: number | null;
  amount: number | null;
}

/**
 * The refill policy as the mark form edits it: flat, with the whole policy kept while the switch
 * is off (turning it back on restores what was there), and blanks allowed while typing.
 */
export interface RefillFormValues {
  enabled: boolean;
  amount: number | null;
  everyValue: number | null;
  everyUnit: RefillUnit;
  strategy: RefillPolicy['strategy'];
  cap: number | null;
  mode: RefillPolicy['mode'];
  grades: GradeFormValues[];
}

export const DEFAULT_REFILL_FORM: RefillFormValues = {
  enabled: false,
  amount: 1000,
  everyValue: 1,
  everyUnit: 'day',
  strategy: 'reset',
  cap: null,
  mode: 'on_demand',
  grades: [],
};

export function refillToForm(policy: RefillPolicy | null): RefillFormValues {
  if (!policy) return { ...DEFAULT_REFILL_FORM, grades: [] };
  return {
    enabled: true,
    amount: policy.amount,
    everyValue: policy.every.value,
    everyUnit: policy.every.unit,
    strategy: policy.strategy,
    cap: policy.cap ?? null,
    mode: policy.mode,
    grades: policy.grades.map((g) => ({ minRequests7d: g.minRequests7d, amount: g.amount })),
  };
}

const isCount = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/**
 * The policy the form describes: null when the switch is off, undefined while something required
 * is blank or out of range (no preview then; the form's own rules explain what is wrong). Grade
 * rows left completely empty are ignored.
 */
export function refillFromForm(
  values: Partial<RefillFormValues> | undefined,
): RefillPolicy | null | undefined {
  if (!values?.enabled) return null;
  const { amount, everyValue, everyUnit, strategy, mode, cap } = values;
  if (!isCount(amount, 1, CREDITS_MAX) || !isCount(everyValue, 1, EVERY_MAX)) return undefined;
  if (!everyUnit || !REFILL_UNITS.includes(everyUnit)) return undefined;
  if (strategy !== 'reset' && strategy !== 'topup') return undefined;
  if (mode !== 'scheduled' && mode !== 'on_demand') return undefined;
  const rows = (values.grades ?? []).filter(
    (g) => g && (g.minRequests7d != null || g.amount != null),
  );
  if (rows.length > GRADES_MAX) return undefined;
  const grades: RefillPolicy['grades'] = [];
  for (const row of rows) {
    if (!isCount(row.minRequests7d, 1, MIN_REQUESTS_MAX) || !isCount(row.amount, 1, CREDITS_MAX))
      return undefined;
    grades.push({ minRequests7d: row.minRequests7d, amount: row.amount });
  }
  const policy: RefillPolicy = {
    amount,
    every: { value: everyValue, unit: everyUnit },
    strategy,
    mode,
    grades,
  };
  if (strategy === 'topup' && cap != null) {
    if (!isCount(cap, 1, CREDITS_MAX)) return undefined;
    policy.cap = cap;
  }
  return policy;
}

/** "2 users" / "1 user", grouped. */
function usersText(count: number, t: TranslateFn, locale: Locale): string {
  return count === 1
    ? t('refillPreview.oneUser')
    : t('refillPreview.users', { count: formatCredits(count, locale) });
}

/**
 * What a policy would do for the mark's holders, one sentence per amount group: "This change
 * gives 1,204 users 500 credits each on Dec 1." Top-ups name the cap (default: the amount).
 */
export function previewSentences(
  preview: Pick<RefillPreview, 'holders' | 'groups' | 'strategy' | 'mode' | 'nextRefillAt'>,
  cap: number | undefined,
  t: TranslateFn,
  locale: Locale,
  now?: number,
): string[] {
  const date = formatMoment(preview.nextRefillAt, locale, { now });
  if (preview.holders === 0 || preview.groups.length === 0) {
    return [t('refillPreview.nobody', { date })];
  }
  return preview.groups.map((group) => {
    const params = {
      users: usersText(group.users, t, locale),
      amount: formatCredits(group.amount, locale),
      date,
    };
    const capText = formatCredits(cap ?? group.amount, locale);
    if (preview.mode === 'on_demand') {
      return preview.strategy === 'reset'
        ? t('refillPreview.onDemandReset', params)
        : t('refillPreview.onDemandTopup', { ...params, cap: capText });
    }
    return preview.strategy === 'reset'
      ? t('refillPreview.scheduledReset', params)
      : t('refillPreview.scheduledTopup', { ...params, cap: capText });
  });
}

/** "10,000 every day, on demand" — a policy in a few words (usage page, mark table). */
export function describePolicy(
  policy: RefillPolicy,
  every: string,
  t: TranslateFn,
  locale: Locale,
): string {
  const amount = formatCredits(policy.amount, locale);
  const text =
    policy.strategy === 'reset'
      ? t('refillPolicy.resetShort', { amount, every })
      : t('refillPolicy.topupShort', {
          amount,
          every,
          cap: formatCredits(policy.cap ?? policy.amount, locale),
        });
  return policy.mode === 'on_demand' ? `${text} · ${t('refillPolicy.onDemandShort')}` : text;
}
