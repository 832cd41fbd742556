// Admin: redemption code batches. Codes are shown once, by `generate` (the SPA offers them as a
// CSV then); afterwards only their hashes exist (docs/decisions/017-redemption-codes.md).
import { z } from 'zod';
import { codeBatchSchema } from '../domain/codes/generate-codes.ts';
import { memberProcedure, router } from '../trpc.ts';

const adminProcedure = memberProcedure({ platformAdmin: true });

const batchOutput = z.object({
  id: z.string(),
  planKey: z.string().nullable(),
  days: z.number().nullable(),
  credits: z.number().nullable(),
  count: z.number(),
  note: z.string().nullable(),
  expiresAt: z.date().nullable(),
  createdAt: z.date(),
});

export const adminCodesRouter = router({
  /** A new batch; the only time its codes are ever returned. */
  generate: adminProcedure
    .input(codeBatchSchema)
    .output(z.object({ batch: batchOutput, codes: z.array(z.string()) }))
    .mutation(({ ctx, input }) =>
      ctx.stores.payments.generateCodes({
        ...input,
        actorUserId: ctx.member.user.id,
        now: ctx.now(),
      }),
    ),

  /** Every batch, newest first, with how many of its codes are redeemed. */
  batches: adminProcedure
    .output(
      z.array(
        batchOutput.extend({
          redeemed: z.number(),
          createdByEmail: z.string().nullable(),
          createdByLabel: z.string().nullable(),
        }),
      ),
    )
    .query(({ ctx }) => ctx.stores.payments.listCodeBatches()),
});
