// A member redeems a redemption code (docs/decisions/017-redemption-codes.md).
import { z } from 'zod';
import { redeemCode } from '../domain/codes/redeem-code.ts';
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
    .mutation(({ ctx, input }) => {
      const result = redeemCode(ctx.db, {
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
