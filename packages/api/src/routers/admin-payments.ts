// Admin: the credit packs the platform sells, and the Stripe webhook event log.
import { stripeEventOutcomes } from '@tessera/db';
import { z } from 'zod';
import { packFieldsSchema } from '../domain/payments/pack-input.ts';
import { patchSchema } from '../lib/patch-schema.ts';
import { memberProcedure, router } from '../trpc.ts';
import { idInput } from './schemas.ts';

const adminProcedure = memberProcedure({ platformAdmin: true });

const packOutput = z.object({
  id: z.string(),
  name: z.string(),
  credits: z.number(),
  priceMinor: z.number(),
  currency: z.string(),
  stripePriceId: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

const stripeEventOutput = z.object({
  id: z.string(),
  type: z.string(),
  created: z.date(),
  receivedAt: z.date(),
  outcome: z.enum(stripeEventOutcomes),
  error: z.string().nullable(),
});

export const adminPacksRouter = router({
  list: adminProcedure
    .output(z.array(packOutput))
    .query(({ ctx }) => ctx.stores.payments.listCreditPacks({ includeInactive: true })),

  create: adminProcedure
    .input(z.object({ fields: packFieldsSchema }))
    .output(packOutput)
    .mutation(({ ctx, input }) =>
      ctx.stores.payments.createCreditPack({
        ...input,
        actorUserId: ctx.member.user.id,
        now: ctx.now(),
      }),
    ),

  update: adminProcedure
    .input(z.object({ packId: idInput, fields: patchSchema(packFieldsSchema) }))
    .output(packOutput)
    .mutation(({ ctx, input }) =>
      ctx.stores.payments.updateCreditPack({
        ...input,
        actorUserId: ctx.member.user.id,
        now: ctx.now(),
      }),
    ),
});

export const adminStripeRouter = router({
  /** The webhook event log, newest first; pass the last id of a page as `before` for the next. */
  events: adminProcedure
    .input(
      z
        .object({
          before: z.string().min(1).max(255).optional(),
          limit: z.number().int().min(1).max(200).optional(),
        })
        .optional(),
    )
    .output(z.object({ events: z.array(stripeEventOutput), nextBefore: z.string().nullable() }))
    .query(({ ctx, input }) => ctx.stores.payments.listStripeEvents(input ?? {})),
});
