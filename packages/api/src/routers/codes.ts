// A member redeems a redemption code (docs/decisions/017-redemption-codes.md).
import { z } from 'zod';
import { memberProcedure, router } from '../trpc.ts';

export const codeGrantOutput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('plan'),
    planKey: z.string(),
    markKey: z.string(),
    days: z.number(),
    expiresAt: z.date().nullable(),
  }),
  z.object({ kind: z.literal('credits'), credits: z.number() }),
]);

export const codesRouter = router({
  redeem: memberProcedure()
    .input(
      z.object({
        code: z.string().trim().min(1, { error: 'REQUIRED' }).max(64, { error: 'TOO_LONG' }),
      }),
    )
    .output(
      z.object({ alreadyRedeemed: z.boolean(), grant: codeGrantOutput, redeemedAt: z.date() }),
    )
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.stores.payments.redeemCode({
        userId: ctx.member.user.id,
        code: input.code,
        ip: ctx.request.ip,
        throttle: true,
        requireVerifiedEmail: true,
        actorUserId: ctx.member.user.id,
        now: ctx.now(),
      });
      ctx.events?.poke();
      return result;
    }),
});
