// Sign-up controls and email verification (docs/decisions/022-email-verification-and-signup-modes.md):
// what the sign-up page needs to know, the verification link, and the admin's mode and invites.
import { z } from 'zod';
import { SIGNUP_MODES } from '../auth/signup-mode.ts';
import { mailLocaleSchema } from '../mail/templates.ts';
import { authedProcedure, memberProcedure, publicProcedure, router } from '../trpc.ts';
import { linkBase } from './link-base.ts';
import { emailInput, idInput } from './schemas.ts';

const adminProcedure = memberProcedure({ platformAdmin: true });
const tokenInput = z.string({ error: 'REQUIRED' }).min(1, { error: 'REQUIRED' }).max(200);
const modeOutput = z.object({ mode: z.enum(SIGNUP_MODES) });

export const signupRouter = router({
  /** What the sign-up page presents: open, invite-only or closed (open until a first account). */
  status: publicProcedure
    .output(modeOutput)
    .query(async ({ ctx }) => ({ mode: await ctx.stores.account.effectiveSignupMode() })),

  /** The invited address behind an invite link, or INVITE_INVALID with the reason. */
  invite: publicProcedure
    .input(z.object({ token: tokenInput }))
    .output(z.object({ email: z.string() }))
    .query(({ ctx, input }) => ctx.stores.account.describeInvite(input.token, ctx.now())),

  /** Uses a verification link (works signed in or not: the token is the proof). */
  verifyEmail: publicProcedure
    .input(z.object({ token: tokenInput }))
    .output(z.object({ email: z.string() }))
    .mutation(({ ctx, input }) =>
      ctx.stores.account.verifyEmail({ token: input.token, ip: ctx.request.ip, now: ctx.now() }),
    ),

  /** Mails the signed-in user a new verification link; throttled per account. */
  resendVerification: authedProcedure
    .input(z.object({ locale: mailLocaleSchema.optional() }))
    .output(z.object({ alreadyVerified: z.boolean() }))
    .mutation(({ ctx, input }) =>
      ctx.stores.account.resendEmailVerification({
        userId: ctx.user.id,
        requestLocale: input.locale,
        baseUrl: linkBase(ctx),
        now: ctx.now(),
      }),
    ),
});

const inviteOutput = z.object({
  id: z.string(),
  email: z.string(),
  invitedByEmail: z.string().nullable(),
  createdAt: z.date(),
  expiresAt: z.date(),
  usedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  status: z.enum(['pending', 'used', 'revoked', 'expired']),
});

export const adminSignupRouter = router({
  mode: adminProcedure.output(modeOutput).query(async ({ ctx }) => ({
    mode: await ctx.stores.account.effectiveSignupMode(),
  })),

  setMode: adminProcedure
    .input(z.object({ mode: z.enum(SIGNUP_MODES, { error: 'INVALID' }) }))
    .output(modeOutput)
    .mutation(async ({ ctx, input }) => {
      const { mode } = await ctx.stores.account.setSignupMode({
        mode: input.mode,
        actorUserId: ctx.member.user.id,
        ip: ctx.request.ip,
        now: ctx.now(),
      });
      return { mode };
    }),

  invites: adminProcedure
    .output(z.array(inviteOutput))
    .query(({ ctx }) => ctx.stores.account.listInvites({ now: ctx.now() })),

  /** Mails a single-use sign-up link to the address (7 days); an earlier pending one dies. */
  invite: adminProcedure
    .input(z.object({ email: emailInput, locale: mailLocaleSchema.optional() }))
    .output(z.object({ id: z.string(), email: z.string(), expiresAt: z.date() }))
    .mutation(async ({ ctx, input }) => {
      const { id, email, expiresAt } = await ctx.stores.account.createInvite({
        ...input,
        baseUrl: linkBase(ctx),
        actorUserId: ctx.member.user.id,
        ip: ctx.request.ip,
        now: ctx.now(),
      });
      return { id, email, expiresAt };
    }),

  revokeInvite: adminProcedure
    .input(z.object({ id: idInput }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) =>
      ctx.stores.account.revokeInvite({
        id: input.id,
        actorUserId: ctx.member.user.id,
        ip: ctx.request.ip,
        now: ctx.now(),
      }),
    ),
});
