import { planIntervals } from '@tessera/db';
import { z } from 'zod';
import { stripePriceIdSchema } from '../payments/stripe-ids.ts';

export const planFieldsSchema = z.strictObject({
  name: z.string().trim().min(1, { error: 'REQUIRED' }).max(80, { error: 'TOO_LONG' }),
  description: z.string().max(2000, { error: 'TOO_LONG' }).default(''),
  priceMinor: z
    .number({ error: 'INVALID' })
    .int({ error: 'INVALID' })
    .min(0, { error: 'TOO_SMALL' })
    .max(100_000_000, { error: 'TOO_LARGE' }),
  currency: z
    .string()
    .regex(/^[a-z]{3}$/i, { error: 'CURRENCY_INVALID' })
    .transform((c) => c.toLowerCase()),
  interval: z.enum(planIntervals, { error: 'INVALID' }),
  durationDays: z
    .number()
    .int()
    .min(1, { error: 'TOO_SMALL' })
    .max(36_500, { error: 'TOO_LARGE' })
    .nullable()
    .default(null),
  trialDays: z
    .number()
    .int()
    .min(0, { error: 'TOO_SMALL' })
    .max(365, { error: 'TOO_LARGE' })
    .default(0),
  seats: z
    .number()
    .int()
    .min(1, { error: 'TOO_SMALL' })
    .max(100_000, { error: 'TOO_LARGE' })
    .nullable()
    .default(null),
  stripePriceId: stripePriceIdSchema.nullable().default(null),
  active: z.boolean().default(true),
  sortOrder: z.number().int().min(-1000).max(1000).default(0),
});
export type PlanFields = z.infer<typeof planFieldsSchema>;
export type PlanFieldsInput = z.input<typeof planFieldsSchema>;

/** How long one purchase (or grant from this plan) lasts, in days; null = no end. */
export function planTermDays(plan: {
  interval: string;
  durationDays: number | null;
}): number | null {
  if (plan.durationDays !== null) return plan.durationDays;
  if (plan.interval === 'month') return 31;
  if (plan.interval === 'year') return 366;
  return null;
}

/**
 * A slug for a plan that was given none: its name lowercased, every run of other characters a
 * hyphen, at most 40 characters (room for a `-2` suffix); `plan` when nothing usable is left.
 */
export function slugFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
  return slug || 'plan';
}
