import { z } from 'zod';
import { changePassword } from '../auth/change-password.ts';
import { isEmailVerified } from '../auth/email-verification.ts';
import { requestPasswordReset } from '../auth/request-password-reset.ts';
import { resetPassword } from '../auth/reset-password.ts';
import { clearSessionCookie, writeSessionCookie } from '../auth/session-cookie.ts';
import {
  createSession,
  invalidateSession,
  invalidateUserSessions,
  listUserSessions,
} from '../auth/sessions.ts';
import { signIn } from '../auth/sign-in.ts';
import { signUp } from '../auth/sign-up.ts';
import { listUserIdentities } from '../auth/sso/sign-in-with-sso.ts';
import { SSO_PROVIDER_IDS } from '../auth/sso/types.ts';
import { unlinkIdentity } from '../auth/sso/unlink-identity.ts';
import type { StartedSession } from '../auth/start-session.ts';
import { completeTwoFactorSignIn } from '../auth/two-factor/challenge.ts';
import type { Context } from '../context.ts';
import { recordAudit } from '../domain/audit/record-audit.ts';
import { listUserRoles } from '../domain/tenancy/list-user-roles.ts';
import { setUserLocale } from '../domain/users/set-user-locale.ts';
import { DomainError } from '../errors.ts';
import { mailLocaleSchema } from '../mail/templates.ts';
import { isPlatformAdmin } from '../member/member-context.ts';
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
  if (previous) invalidateSession(ctx.db, previous.user.id, previous.session.id);
  writeSessionCookie(ctx.cookies, ctx.secureCookies, started.token, started.session.expiresAt);
  const viewer = ctx.db.query.users
    .findFirst({
      columns: { id: true, email: true, displayName: true, createdAt: true },
      where: (u, { eq }) => eq(u.id, started.userId),
    })
    .sync();
  if (!viewer) throw new DomainError('UNAUTHENTICATED', 'The account no longer exists.');
  return {
    user: viewer,
    isPlatformAdmin: isPlatformAdmin(listUserRoles(ctx.db, viewer.id)),
    emailVerified: isEmailVerified(ctx.db, viewer.id),
  };
}

export const authRouter = router({
  me: publicProcedure.output(viewerOutput.nullable()).query(async ({ ctx }) => {
    const auth = await ctx.auth();
    if (!auth) return null;
    return {
      user: auth.user,
      isPlatformAdmin: isPlatformAdmin(listUserRoles(ctx.db, auth.user.id)),
      emailVerified: isEmailVerified(ctx.db, auth.user.id),
    };
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
      const user = await signUp(ctx.db, {
        ...credentials,
        inviteToken: invite || null,
        locale,
        baseUrl: linkBase(ctx),
        ip: ctx.request.ip,
        now,
      });
      if (locale) setUserLocale(ctx.db, user.id, locale);
      const { token, session } = createSession(ctx.db, { userId: user.id, now, ...ctx.request });
      writeSessionCookie(ctx.cookies, ctx.secureCookies, token, session.expiresAt);
      const { platformRole, ...viewer } = user;
      return {
        user: viewer,
        isPlatformAdmin: platformRole !== null,
        emailVerified: isEmailVerified(ctx.db, user.id),
      };
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
      const outcome = await signIn(ctx.db, {
        ...credentials,
        ...ctx.request,
        now: ctx.now(),
        timeZone: ctx.timeZone,
      });
      const userId = outcome.status === 'signed_in' ? outcome.userId : null;
      if (locale && userId) setUserLocale(ctx.db, userId, locale);
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
      const started = completeTwoFactorSignIn(ctx.db, {
        pendingToken: input.pendingToken,
        code: input.code,
        settings: ctx.twoFactor,
        ...ctx.request,
        now: ctx.now(),
        timeZone: ctx.timeZone,
      });
      if (input.locale) setUserLocale(ctx.db, started.userId, input.locale);
      return { status: 'signed_in' as const, ...(await signedIn(ctx, started)) };
    }),

  signOut: authedProcedure.output(z.object({ ok: z.literal(true) })).mutation(({ ctx }) => {
    invalidateSession(ctx.db, ctx.user.id, ctx.session.id);
    clearSessionCookie(ctx.cookies, ctx.secureCookies);
    return { ok: true as const };
  }),

  signOutEverywhere: authedProcedure
    .output(z.object({ revoked: z.number() }))
    .mutation(({ ctx }) => {
      const revoked = ctx.db.transaction((tx) => {
        const count = invalidateUserSessions(tx, ctx.user.id);
        recordAudit(tx, {
          tenantId: null,
          actorUserId: ctx.user.id,
          action: 'session.revoked_all',
          subjectType: 'user',
          subjectId: ctx.user.id,
          data: { count },
          ip: ctx.request.ip,
          createdAt: ctx.now(),
        });
        return count;
      });
      clearSessionCookie(ctx.cookies, ctx.secureCookies);
      return { revoked };
    }),

  /** Needs the current password; every other session of the user ends (this one stays). */
  changePassword: authedProcedure
    .input(z.object({ currentPassword: existingPasswordInput, newPassword: newPasswordInput }))
    .output(z.object({ sessionsEnded: z.number() }))
    .mutation(({ ctx, input }) =>
      changePassword(ctx.db, {
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
    .mutation(({ ctx, input }) => {
      setUserLocale(ctx.db, ctx.user.id, input.locale);
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
      requestPasswordReset(ctx.db, {
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
      resetPassword(ctx.db, { ...input, ip: ctx.request.ip, now: ctx.now() }),
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
    .query(({ ctx }) =>
      listUserIdentities(ctx.db, ctx.user.id).map((i) => ({
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
      unlinkIdentity(ctx.db, {
        ...input,
        userId: ctx.user.id,
        ip: ctx.request.ip,
        now: ctx.now(),
      }),
    ),

  sessions: authedProcedure.output(z.array(sessionOutput)).query(({ ctx }) =>
    listUserSessions(ctx.db, ctx.user.id).map((s) => ({
      ...s,
      current: s.id === ctx.session.id,
    })),
  ),

  revokeSession: authedProcedure
    .input(z.object({ id: idInput }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) => {
      if (!invalidateSession(ctx.db, ctx.user.id, input.id)) {
        throw new DomainError('NOT_FOUND', 'No such session.');
      }
      if (input.id === ctx.session.id) clearSessionCookie(ctx.cookies, ctx.secureCookies);
      return { ok: true as const };
    }),
});
