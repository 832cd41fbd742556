import type { FieldMap } from '../components/forms/useServerErrors.ts';
import { type RefillFormValues, refillFromForm } from './refillPolicy.ts';
import type { Entitlements, MarkRow } from './trpc.ts';

/** The entitlements form shared by the mark and ceiling editors: values, server keys, output. */

export type FormEntitlements = Omit<Entitlements, 'refill' | 'fallbackModel'> & {
  fallbackModel?: string | null;
};
export const NO_ENTITLEMENTS: FormEntitlements = {
  models: [],
  plugins: [],
  requestsPerDay: 0,
  requestsPerMonth: 0,
  requestsPerMinute: 0,
  maxOutputTokens: 0,
  apiAccess: false,
  seats: 0,
  fallbackModel: null,
};

/** Server keys under `entitlements.*` → the fields EntitlementsFields renders (also for ceilings). */
export const ENTITLEMENT_SERVER_FIELDS: FieldMap = {
  ...Object.fromEntries(
    [
      'models',
      'plugins',
      'requestsPerDay',
      'requestsPerMonth',
      'requestsPerMinute',
      'maxOutputTokens',
      'apiAccess',
      'seats',
      'fallbackModel',
    ].map((name) => [`entitlements.${name}`, ['entitlements', name]]),
  ),
  'entitlements.refill.amount': ['refill', 'amount'],
  'entitlements.refill.every.value': ['refill', 'everyValue'],
  'entitlements.refill.every.unit': ['refill', 'everyUnit'],
  'entitlements.refill.strategy': ['refill', 'strategy'],
  'entitlements.refill.cap': ['refill', 'cap'],
  'entitlements.refill.mode': ['refill', 'mode'],
  'entitlements.refill.grades': ['refill', 'grades'],
};

// setCeiling names fields `ceiling.models`, `ceiling.refill.amount`, `ceiling.trialDays`: the
// mark form's entitlement fields under another prefix, plus the trial.
export const CEILING_SERVER_FIELDS: FieldMap = {
  ...Object.fromEntries(
    Object.entries(ENTITLEMENT_SERVER_FIELDS).map(([key, name]) => [
      key.replace(/^entitlements\./, 'ceiling.'),
      name,
    ]),
  ),
  'ceiling.trialDays': 'trialDays',
};

/** The entitlements part of a form (marks and ceilings share it) → the API's shape. */
export function entitlementsFromForm(
  entitlements: FormEntitlements,
  refill: RefillFormValues,
): Entitlements {
  const { fallbackModel, ...rest } = entitlements;
  return {
    ...rest,
    fallbackModel: fallbackModel?.trim() || null,
    // The form's rules have checked the policy; incomplete would mean a bug, so keep none.
    refill: refillFromForm(refill) ?? null,
  };
}

/** The key's tenant part (`acme:` of `acme:pro`); empty for platform marks and new ones. */
export const markKeyPrefix = (mark: Pick<MarkRow, 'key' | 'slug'> | null) =>
  mark ? mark.key.slice(0, mark.key.length - mark.slug.length) : '';
