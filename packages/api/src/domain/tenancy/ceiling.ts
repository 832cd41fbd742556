// A vendor's ceiling: what the platform delegates to it. Every vendor mark must lie within it
// (checked when a mark is written: `ceilingViolations`), and it clamps vendor marks again when a
// member's entitlements are built (`clampToCeiling`), so lowering a ceiling or suspending a vendor
// takes effect on the very next request without touching the vendor's marks.
import { z } from 'zod';
import {
  type Entitlements,
  entitlementsSchema,
  type RefillPolicy,
} from '../entitlements/entitlements.ts';

/** The entitlements object the admin form writes, plus the longest trial a vendor plan may give. */
export const ceilingSchema = entitlementsSchema.extend({
  trialDays: z.number().int().min(0).max(365).default(0),
});
export type Ceiling = z.infer<typeof ceilingSchema>;
export type CeilingInput = z.input<typeof ceilingSchema>;

/** A new vendor's ceiling grants nothing of the platform's. */
export const NO_CEILING: Ceiling = ceilingSchema.parse({});

/** Parses stored JSON; a ceiling that no longer validates delegates nothing (fail closed). */
export function parseStoredCeiling(value: unknown): Ceiling {
  const parsed = ceilingSchema.safeParse(value);
  return parsed.success ? parsed.data : NO_CEILING;
}

const HOUR_MS = 3_600_000;
const UNIT_MS = {
  hour: HOUR_MS,
  day: 24 * HOUR_MS,
  week: 7 * 24 * HOUR_MS,
  month: 30 * 24 * HOUR_MS,
};

function periodMs(policy: RefillPolicy): number {
  return policy.every.value * UNIT_MS[policy.every.unit];
}

/** The most one refill of this policy can bring (its amount, a grade's, or a top-up cap). */
function largestAmount(policy: RefillPolicy): number {
  return Math.max(policy.amount, ...policy.grades.map((g) => g.amount));
}

/** null (unlimited) is above every number. */
function atMost(value: number | null, limit: number | null): boolean {
  return limit === null || (value !== null && value <= limit);
}

function lower(value: number | null, limit: number | null): number | null {
  if (limit === null) return value;
  if (value === null) return limit;
  return Math.min(value, limit);
}

/**
 * What in `e` is above the ceiling, as field errors keyed like the mark form's fields
 * (`entitlements.models`), each with the code OVER_CEILING and the items that are over. Empty
 * when `e` lies within the ceiling.
 */
export function ceilingViolations(e: Entitlements, c: Ceiling): Record<string, string[]> {
  const over: Record<string, string[]> = {};
  const add = (field: string, what: string) => {
    over[`entitlements.${field}`] = [...(over[`entitlements.${field}`] ?? []), what];
  };
  for (const model of e.models) if (!c.models.includes(model)) add('models', model);
  for (const plugin of e.plugins) if (!c.plugins.includes(plugin)) add('plugins', plugin);
  for (const field of [
    'requestsPerDay',
    'requestsPerMonth',
    'requestsPerMinute',
    'maxOutputTokens',
  ] as const) {
    if (!atMost(e[field], c[field])) add(field, String(e[field] ?? 'unlimited'));
  }
  if (e.seats > c.seats) add('seats', String(e.seats));
  if (e.apiAccess && !c.apiAccess) add('apiAccess', 'apiAccess');
  if (e.fallbackModel !== null && !c.models.includes(e.fallbackModel)) {
    add('fallbackModel', e.fallbackModel);
  }
  if (e.refill) {
    const limit = c.refill;
    if (!limit) add('refill', 'refill');
    else {
      const largest = largestAmount(e.refill);
      const allowed = largestAmount(limit);
      if (largest > allowed) add('refill.amount', String(largest));
      // Per period: the mark's largest refill, spread over the ceiling's period, fits the ceiling.
      else if ((largest / periodMs(e.refill)) * periodMs(limit) > allowed) {
        add('refill.every', `${largest} per ${e.refill.every.value} ${e.refill.every.unit}`);
      }
      const cap = e.refill.cap ?? e.refill.amount;
      if (e.refill.strategy === 'topup' && cap > (limit.cap ?? allowed)) {
        add('refill.cap', String(cap));
      }
    }
  }
  return Object.fromEntries(
    Object.entries(over).map(([field, items]) => [field, [`OVER_CEILING:${items.join(',')}`]]),
  );
}

/** A plan's trial within the ceiling: null when allowed, else the field error. */
export function trialOverCeiling(trialDays: number, c: Ceiling): Record<string, string[]> | null {
  return trialDays > c.trialDays ? { 'fields.trialDays': [`OVER_CEILING:${trialDays}`] } : null;
}

/** A refill policy brought within the ceiling's amount and rate; null when nothing is left. */
function clampRefill(policy: RefillPolicy, limit: RefillPolicy | null): RefillPolicy | null {
  if (!limit) return null;
  const allowed = largestAmount(limit);
  const perPeriod = Math.floor((allowed / periodMs(limit)) * periodMs(policy));
  const most = Math.min(allowed, perPeriod);
  if (most < 1) return null;
  const cap = policy.cap === undefined ? undefined : Math.min(policy.cap, limit.cap ?? allowed);
  return {
    ...policy,
    amount: Math.min(policy.amount, most),
    ...(cap === undefined ? {} : { cap }),
    grades: policy.grades.map((g) => ({ ...g, amount: Math.min(g.amount, most) })),
  };
}

/**
 * A vendor mark's entitlements as the member gets them: never more than the ceiling. (A suspended
 * vendor's marks are not held at all: list-active-memberships.ts leaves them out.)
 */
export function clampToCeiling(e: Entitlements, c: Ceiling): Entitlements {
  return {
    models: e.models.filter((m) => c.models.includes(m)),
    plugins: e.plugins.filter((p) => c.plugins.includes(p)),
    requestsPerDay: lower(e.requestsPerDay, c.requestsPerDay),
    requestsPerMonth: lower(e.requestsPerMonth, c.requestsPerMonth),
    requestsPerMinute: lower(e.requestsPerMinute, c.requestsPerMinute),
    maxOutputTokens: lower(e.maxOutputTokens, c.maxOutputTokens),
    apiAccess: e.apiAccess && c.apiAccess,
    seats: Math.min(e.seats, c.seats),
    refill: e.refill ? clampRefill(e.refill, c.refill) : null,
    fallbackModel:
      e.fallbackModel !== null && c.models.includes(e.fallbackModel) ? e.fallbackModel : null,
  };
}
