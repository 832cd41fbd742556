// What the money views return, shared by the admin and vendor consoles (admin-money.ts,
// vendor-money.ts): declared so nothing but these figures leaves the server.
import { paymentKinds } from '@tessera/db';
import { z } from 'zod';
import { revenueRanges } from '../domain/payments/revenue-window.ts';

export const rangeInput = z.enum(revenueRanges);

const kindCounts = z.object(
  Object.fromEntries(paymentKinds.map((k) => [k, z.number()])) as Record<
    (typeof paymentKinds)[number],
    z.ZodNumber
  >,
);

export const revenueOutput = z.object({
  range: rangeInput,
  unit: z.enum(['day', 'week']),
  timeZone: z.string(),
  from: z.date(),
  to: z.date(),
  currencies: z.array(z.string()),
  totals: z.array(
    z.object({
      currency: z.string(),
      purchases: z.number(),
      grossMinor: z.number(),
      refundedMinor: z.number(),
      netMinor: z.number(),
    }),
  ),
  purchases: kindCounts,
  buckets: z.array(
    z.object({
      start: z.date(),
      end: z.date(),
      revenue: z.array(z.object({ currency: z.string(), netMinor: z.number() })),
      purchases: kindCounts,
    }),
  ),
  products: z.array(
    z.object({
      product: z.enum(['plan', 'pack']),
      productId: z.string().nullable(),
      planKey: z.string().nullable(),
      name: z.string().nullable(),
      tenantId: z.string(),
      tenantName: z.string().nullable(),
      currency: z.string(),
      purchases: z.number(),
      grossMinor: z.number(),
      refundedMinor: z.number(),
      netMinor: z.number(),
    }),
  ),
});

export const subscriptionsOutput = z.array(
  z.object({
    planId: z.string(),
    planKey: z.string(),
    planName: z.string(),
    tenantId: z.string(),
    tenantName: z.string().nullable(),
    priceMinor: z.number(),
    currency: z.string(),
    interval: z.enum(['month', 'year', 'once']),
    active: z.number(),
    byStatus: z.object({ trialing: z.number(), active: z.number(), past_due: z.number() }),
    cancelAtPeriodEnd: z.number(),
  }),
);
