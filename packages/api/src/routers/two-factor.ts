// Two-factor authentication in Account (decision 024): status, enrolment (start, confirm), turning
// it off and regenerating recovery codes. Signed-in users only; the sign-in code step is in auth.ts.
import { z } from 'zod';
import { authedProcedure, router } from '../trpc.ts';
import { secondFactorCodeInput } from './schemas.ts';

const codeInput = z.object({ code: secondFactorCodeInput });
const recoveryCodesOutput = z.object({ recoveryCodes: z.array(z.string()) });

export const twoFactorRouter = router({
  status: authedProcedure
    .output(
      z.object({
        enabled: z.boolean(),
        enabledAt: z.date().nullable(),
        recoveryCodesLeft: z.number(),
        requiredForAdmin: z.boolean(),
      }),
    )
    .query(async ({ ctx }) => ({
      ...(await ctx.stores.account.twoFactorStatus(ctx.user.id)),
      requiredForAdmin: ctx.twoFactor.adminRequired,
    })),

  /** A new secret: the otpauth:// URI (for the QR code) and its base32 text, shown this once. */
  startEnrolment: authedProcedure
    .output(z.object({ secret: z.string(), uri: z.string() }))
    .mutation(({ ctx }) =>
      ctx.stores.account.startTotpEnrolment({
        userId: ctx.user.id,
        now: ctx.now(),
        settings: ctx.twoFactor,
      }),
    ),

  /** Turns TOTP on with a valid code for the new secret; answers the recovery codes, once. */
  confirmEnrolment: authedProcedure
    .input(codeInput)
    .output(recoveryCodesOutput)
    .mutation(({ ctx, input }) =>
      ctx.stores.account.confirmTotpEnrolment({
        userId: ctx.user.id,
        code: input.code,
        now: ctx.now(),
        ip: ctx.request.ip,
        settings: ctx.twoFactor,
      }),
    ),

  /** Turns 2FA off; needs a current TOTP code or an unused recovery code. */
  disable: authedProcedure
    .input(codeInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) =>
      ctx.stores.account.disableTwoFactor({
        userId: ctx.user.id,
        code: input.code,
        now: ctx.now(),
        ip: ctx.request.ip,
        settings: ctx.twoFactor,
      }),
    ),

  /** Ten new recovery codes (the old ones stop working); needs a current TOTP code. */
  regenerateRecoveryCodes: authedProcedure
    .input(codeInput)
    .output(recoveryCodesOutput)
    .mutation(({ ctx, input }) =>
      ctx.stores.account.regenerateRecoveryCodes({
        userId: ctx.user.id,
        code: input.code,
        now: ctx.now(),
        ip: ctx.request.ip,
        settings: ctx.twoFactor,
      }),
    ),
});
