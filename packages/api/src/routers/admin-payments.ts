// Admin: the credit packs the platform sells.
import { z } from 'zod';
import { listCreditPacks } from '../domain/payments/list-credit-packs.ts';
import { packFieldsSchema } from '../domain/payments/pack-input.ts';
import { createCreditPack, updateCreditPack } from '../domain/payments/save-credit-pack.ts';
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

export const adminPacksRouter = router({
  list: adminProcedure
    .output(z.array(packOutput))
    .query(({ ctx }) => listCreditPacks(ctx.db, { includeInactive: true })),

  create: adminProcedure
    .input(z.object({ fields: packFieldsSchema }))
    .output(packOutput)
    .mutation(({ ctx, input }) =>
      createCreditPack(ctx.db, { ...input, actorUserId: ctx.member.user.id, now: ctx.now() }),
    ),

  update: adminProcedure
    .input(z.object({ packId: idInput, fields: patchSchema(packFieldsSchema) }))
    .output(packOutput)
    .mutation(({ ctx, input }) =>
      updateCreditPack(ctx.db, { ...input, actorUserId: ctx.member.user.id, now: ctx.now() }),
    ),
});
