import { z } from 'zod';
import { changePassword } from '../auth/change-password.ts';
import { clearSessionCookie, writeSessionCookie } from '../auth/session-cookie.ts';
import { signIn } from '../auth/sign-in.ts';
import { signUp } from '../auth/sign-up.ts';
import { SSO_PROVIDER_IDS } from '../auth/sso/types.ts';
import { type StartedSession, startSignedInSession } from '../auth/start-session.ts';
import type { Context } from '../context.ts';
import { DomainError } from '../errors.ts';
import { mailLocaleSchema } from '../mail/templates.ts';
import { isPlatformAdmin } from '../member/member-context.ts';
import type { UserSummary } from '../storage/auth-store.ts';
import { authedProcedure, publicProcedure, router } from '../trpc.ts';
import { linkBase } from './link-base.ts';
import {
  emailInput,
  existingPasswordInput,
  idInput,
  newPasswordInput,
  secondFactorCodeInput,
  viewerOutput,
} from './schemas.ts';

const sessionOutput = z.object({
  id: z.string(),
  createdAt: z.date(),
  lastSeenAt: z.date(),
  expiresAt: z.date(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  current: z.boolean(),
});

const signedInOutput = viewerOutput.extend({ status: z.literal('signed_in') });
const signInOutput = z.discriminatedUnion('status', [
  signedInOutput,
  z.object({
    status: z.literal('second_factor_required'),
    pendingToken: z.string(),
    expiresAt: z.date(),
  }),
]);

/** Sets the new session's cookie (ending one that came with the request) and returns the viewer. */
async function signedIn(ctx: Context, started: StartedSession) {
  // A session that came with the request (perhaps planted by someone else) ends here.
  const previous = await ctx.auth();
  if (previous) await ctx.stores.auth.endSession(previous.user.id, previous.session.id);
  writeSessionCookie(ctx.cookies, ctx.secureCookies, started.token, started.session.expiresAt);
  const user = await ctx.stores.auth.userById(started.userId);
  if (!user) throw new DomainError('UNAUTHENTICATED', 'The account no longer exists.');
  const { id, email, displayName, createdAt } = user;
  return viewerOf(ctx, { id, email, displayName, createdAt });
}

/** The signed-in user as the SPA sees them: whether a platform admin, whether verified. */
async function viewerOf(ctx: Context, user: UserSummary) {
  const standing = await ctx.stores.auth.viewerStanding(user.id);
  return {
    user,
    isPlatformAdmin: isPlatformAdmin(standing.roles),
    emailVerified: standing.emailVerified,
  };
}

export const authRouter = router({
  me: publicProcedure.output(viewerOutput.nullable()).query(async ({ ctx }) => {
    const auth = await ctx.auth();
    if (!auth) return null;
    return viewerOf(ctx, auth.user);
  }),

  signUp: publicProcedure
    .input(
      z.object({
        email: emailInput,
        password: newPasswordInput,
        locale: mailLocaleSchema.optional(),
        /** The token of the invite link the page was opened with (decision 022). */
        invite: z.string().max(200, { error: 'INVALID' }).optional(),
      }),
    )
    .output(viewerOutput)
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      const { locale, invite, ...credentials } = input;
      const user = await signUp(ctx.stores, {
        ...credentials,
        inviteToken: invite || null,
        locale,
        baseUrl: linkBase(ctx),
        ip: ctx.request.ip,
        now,
      });
      if (locale) await ctx.stores.auth.setUserLocale(user.id, locale);
      const { token, session } = await ctx.stores.auth.createSession({
        userId: user.id,
        now,
        ...ctx.request,
      });
      writeSessionCookie(ctx.cookies, ctx.secureCookies, token, session.expiresAt);
      const { platformRole, ...viewer } = user;
      const { emailVerified } = await ctx.stores.auth.viewerStanding(user.id);
      return { user: viewer, isPlatformAdmin: platformRole !== null, emailVerified };
    }),

  /**
   * The password step. Without 2FA it starts a session; with 2FA on it answers
   * `second_factor_required` with a pending token (5 minutes, single use) and no session.
   */
  signIn: publicProcedure
    .input(
      z.object({
        email: emailInput,
        password: existingPasswordInput,
        locale: mailLocaleSchema.optional(),
      }),
    )
    .output(signInOutput)
    .mutation(async ({ ctx, input }) => {
      const { locale, ...credentials } = input;
      const outcome = await signIn(ctx.stores, {
        ...credentials,
        ...ctx.request,
        now: ctx.now(),
        timeZone: ctx.timeZone,
      });
      const userId = outcome.status === 'signed_in' ? outcome.userId : null;
      if (locale && userId) await ctx.stores.auth.setUserLocale(userId, locale);
      if (outcome.status === 'second_factor_required') {
        return {
          status: outcome.status,
          pendingToken: outcome.pendingToken,
          expiresAt: outcome.expiresAt,
        };
      }
      return { status: 'signed_in' as const, ...(await signedIn(ctx, outcome)) };
    }),

  /** The code step: the pending token from signIn plus a TOTP code or a recovery code. */
  signInSecondFactor: publicProcedure
    .input(
      z.object({
        pendingToken: z.string({ error: 'REQUIRED' }).min(1, { error: 'REQUIRED' }).max(200),
        code: secondFactorCodeInput,
        locale: mailLocaleSchema.optional(),
      }),
    )
    .output(signedInOutput)
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      const redeemed = await ctx.stores.account.redeemTwoFactorChallenge({
        pendingToken: input.pendingToken,
        code: input.code,
        settings: ctx.twoFactor,
        ip: ctx.request.ip,
        now,
      });
      const started = await startSignedInSession(ctx.stores, {
        ...ctx.request,
        ...redeemed,
        now,
        timeZone: ctx.timeZone,
      });
      if (input.locale) await ctx.stores.auth.setUserLocale(started.userId, input.locale);
      return { status: 'signed_in' as const, ...(await signedIn(ctx, started)) };
    }),

  signOut: authedProcedure.output(z.object({ ok: z.literal(true) })).mutation(async ({ ctx }) => {
    await ctx.stores.auth.endSession(ctx.user.id, ctx.session.id);
    clearSessionCookie(ctx.cookies, ctx.secureCookies);
    return { ok: true as const };
  }),

  signOutEverywhere: authedProcedure
    .output(z.object({ revoked: z.number() }))
    .mutation(async ({ ctx }) => {
      const revoked = await ctx.stores.auth.endAllSessions({
        userId: ctx.user.id,
        ip: ctx.request.ip,
        now: ctx.now(),
      });
      clearSessionCookie(ctx.cookies, ctx.secureCookies);
      return { revoked };
    }),

  /** Needs the current password; every other session of the user ends (this one stays). */
  changePassword: authedProcedure
    .input(z.object({ currentPassword: existingPasswordInput, newPassword: newPasswordInput }))
    .output(z.object({ sessionsEnded: z.number() }))
    .mutation(({ ctx, input }) =>
      changePassword(ctx.stores, {
        ...input,
        userId: ctx.user.id,
        sessionId: ctx.session.id,
        ip: ctx.request.ip,
        now: ctx.now(),
      }),
    ),

  /** The language the SPA is shown in; mails to the user are written in it. */
  setLocale: authedProcedure
    .input(z.object({ locale: mailLocaleSchema }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.stores.auth.setUserLocale(ctx.user.id, input.locale);
      return { ok: true as const };
    }),

  /**
   * Mails a single-use reset link if the address has an account. The answer is the same either way
   * (decision 021); throttled per address and per network.
   */
  requestPasswordReset: publicProcedure
    .input(z.object({ email: emailInput, locale: mailLocaleSchema.optional() }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) =>
      ctx.stores.account.requestPasswordReset({
        ...input,
        baseUrl: linkBase(ctx),
        ip: ctx.request.ip,
        now: ctx.now(),
      }),
    ),

  /** Sets a new password with a reset link's token; every session of the user ends. */
  resetPassword: publicProcedure
    .input(
      z.object({
        token: z.string({ error: 'REQUIRED' }).min(1, { error: 'REQUIRED' }).max(200),
        password: newPasswordInput,
      }),
    )
    .output(z.object({ sessionsEnded: z.number() }))
    .mutation(({ ctx, input }) =>
      ctx.stores.account.resetPassword({ ...input, ip: ctx.request.ip, now: ctx.now() }),
    ),

  /** The sign-in page's buttons: the identity providers this server is configured for. */
  ssoProviders: publicProcedure
    .output(z.array(z.object({ id: z.enum(SSO_PROVIDER_IDS), label: z.string() })))
    .query(({ ctx }) =>
      SSO_PROVIDER_IDS.flatMap((id) => {
        const provider = ctx.sso?.[id];
        return provider ? [{ id, label: provider.label }] : [];
      }),
    ),

  /** Outside accounts (OIDC, GitHub) that sign in to this one. */
  identities: authedProcedure
    .output(
      z.array(
        z.object({
          provider: z.enum(SSO_PROVIDER_IDS),
          subject: z.string(),
          email: z.string().nullable(),
          createdAt: z.date(),
        }),
      ),
    )
    .query(async ({ ctx }) =>
      (await ctx.stores.account.listUserIdentities(ctx.user.id)).map((i) => ({
        ...i,
        provider: i.provider as (typeof SSO_PROVIDER_IDS)[number],
      })),
    ),

  /** Removes one of the user's linked outside accounts. */
  unlinkIdentity: authedProcedure
    .input(
      z.object({
        provider: z.enum(SSO_PROVIDER_IDS),
        subject: z.string({ error: 'REQUIRED' }).min(1, { error: 'REQUIRED' }).max(255),
      }),
    )
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) =>
      ctx.stores.account.unlinkIdentity({
        ...input,
        userId: ctx.user.id,
        ip: ctx.request.ip,
        now: ctx.now(),
      }),
    ),

  sessions: authedProcedure.output(z.array(sessionOutput)).query(async ({ ctx }) =>
    (await ctx.stores.auth.listSessions(ctx.user.id)).map((s) => ({
      ...s,
      current: s.id === ctx.session.id,
    })),
  ),

  revokeSession: authedProcedure
    .input(z.object({ id: idInput }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      if (!(await ctx.stores.auth.endSession(ctx.user.id, input.id))) {
        throw new DomainError('NOT_FOUND', 'No such session.');
      }
      if (input.id === ctx.session.id) clearSessionCookie(ctx.cookies, ctx.secureCookies);
      return { ok: true as const };
    }),
});
