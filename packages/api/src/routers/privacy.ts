// Account → Your data and Danger zone (decision 025): export everything, delete the account.
// Both act on the session's own user only; neither takes a user id from the input.
import { z } from 'zod';
import { clearSessionCookie } from '../auth/session-cookie.ts';
import { authedProcedure, router } from '../trpc.ts';
import { emailInput, existingPasswordInput, secondFactorCodeInput } from './schemas.ts';

export const privacyRouter = router({
  /** The JSON document the SPA offers as a download. */
  export: authedProcedure.query(({ ctx }) =>
    ctx.stores.account.exportUserData({ userId: ctx.user.id, now: ctx.now() }),
  ),

  /** Confirmed by the account's email and current password; signs out everywhere. */
  deleteAccount: authedProcedure
    .input(
      z.object({
        email: emailInput,
        password: existingPasswordInput,
        code: secondFactorCodeInput.optional(),
      }),
    )
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.stores.account.deleteOwnAccount({
        userId: ctx.user.id,
        ...input,
        twoFactor: ctx.twoFactor,
        ip: ctx.request.ip,
        now: ctx.now(),
      });
      clearSessionCookie(ctx.cookies, ctx.secureCookies);
      return { ok: true as const };
    }),
});
