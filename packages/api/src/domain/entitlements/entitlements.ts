// What holding a mark grants, validated by this one schema wherever a mark is written.
// Numbers: 0 grants nothing, null means unlimited. Lists: identifiers. Flags: granted or not.
import { z } from 'zod';

const limit = z.number().int().min(0).max(1_000_000_000).nullable();
const identifier = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9._:/-]*$/, { error: 'INVALID_IDENTIFIER' });

const credits = z.number().int().min(1).max(1_000_000_000_000);

/**
 * How a mark refills credits. `reset`: the balance is brought up to `amount` (never lowered, so
 * bought or granted credits are kept); `topup`: `amount` is added, up to `cap` (default: `amount`). `scheduled`: the batch job refills
 * every holder at each period start; `on_demand`: a holder is refilled at sign-in or at their next
 * request once the period has turned (inactive users cost nothing). `grades` give heavier users
 * (≥ minRequests7d requests in the last 7 days) a different amount; the highest matching grade wins.
 */
export const refillPolicySchema = z
  .strictObject({
    amount: credits,
    every: z.strictObject({
      value: z.number().int().min(1).max(1000),
      unit: z.enum(['hour', 'day', 'week', 'month']),
    }),
    strategy: z.enum(['reset', 'topup']),
    cap: credits.optional(),
    mode: z.enum(['scheduled', 'on_demand']),
    grades: z
      .array(
        z.strictObject({ minRequests7d: z.number().int().min(1).max(1_000_000), amount: credits }),
      )
      .max(10)
      .default([]),
  })
  .nullable();
export type RefillPolicy = NonNullable<z.infer<typeof refillPolicySchema>>;

// Strict: a misspelt entitlement is an error, not a silently dropped grant.
export const entitlementsSchema = z.strictObject({
  models: z.array(identifier).max(200).default([]),
  plugins: z.array(identifier).max(200).default([]),
  requestsPerDay: limit.default(0),
  requestsPerMonth: limit.default(0),
  requestsPerMinute: limit.default(0),
  maxOutputTokens: limit.default(0),
  apiAccess: z.boolean().default(false),
  seats: z.number().int().min(0).max(100_000).default(0),
  refill: refillPolicySchema.default(null),
  /** A model to continue on when the paid allowance runs out (the chat issue uses it). */
  fallbackModel: identifier.nullable().default(null),
});

export type Entitlements = z.infer<typeof entitlementsSchema>;
export type EntitlementsInput = z.input<typeof entitlementsSchema>;

/** Holding nothing grants nothing. */
export const NO_ENTITLEMENTS: Entitlements = entitlementsSchema.parse({});

/** The most generous of two limits; null (unlimited) beats every number. */
function generous(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.max(a, b);
}

/** A member's effective entitlements: the merge of every mark held now. */
export function mergeEntitlements(all: readonly Entitlements[]): Entitlements {
  return all.reduce<Entitlements>(
    (merged, e) => ({
      models: union(merged.models, e.models),
      plugins: union(merged.plugins, e.plugins),
      requestsPerDay: generous(merged.requestsPerDay, e.requestsPerDay),
      requestsPerMonth: generous(merged.requestsPerMonth, e.requestsPerMonth),
      requestsPerMinute: generous(merged.requestsPerMinute, e.requestsPerMinute),
      maxOutputTokens: generous(merged.maxOutputTokens, e.maxOutputTokens),
      apiAccess: merged.apiAccess || e.apiAccess,
      seats: Math.max(merged.seats, e.seats),
      // Refill policies stay per mark (each refills on its own schedule); the credits issue reads
      // them from the memberships, not from the merge.
      refill: null,
      fallbackModel: merged.fallbackModel ?? e.fallbackModel,
    }),
    NO_ENTITLEMENTS,
  );
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/** Parses stored JSON; a row that no longer validates grants nothing rather than failing open. */
export function parseStoredEntitlements(value: unknown): Entitlements {
  const parsed = entitlementsSchema.safeParse(value);
  return parsed.success ? parsed.data : NO_ENTITLEMENTS;
}
