import { z } from 'zod';
import { stripePriceIdSchema } from './stripe-ids.ts';

/** A credit pack as the platform admin defines it: so many credits for so much money. */
export const packFieldsSchema = z.strictObject({
  name: z.string().trim().min(1, { error: 'REQUIRED' }).max(80, { error: 'TOO_LONG' }),
  credits: z
    .number({ error: 'INVALID' })
    .int({ error: 'INVALID' })
    .min(1, { error: 'TOO_SMALL' })
    .max(1_000_000_000_000, { error: 'TOO_LARGE' }),
  priceMinor: z
    .number({ error: 'INVALID' })
    .int({ error: 'INVALID' })
    .min(0, { error: 'TOO_SMALL' })
    .max(100_000_000, { error: 'TOO_LARGE' }),
  currency: z
    .string()
    .regex(/^[a-z]{3}$/i, { error: 'CURRENCY_INVALID' })
    .transform((c) => c.toLowerCase()),
  stripePriceId: stripePriceIdSchema.nullable().default(null),
  active: z.boolean().default(true),
});
export type PackFields = z.infer<typeof packFieldsSchema>;
export type PackFieldsInput = z.input<typeof packFieldsSchema>;
