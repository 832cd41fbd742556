// The account procedures' cases (see cases.ts for what each field means): sign-up and sign-in,
// sessions, password change and reset, two factors, SSO identities, verification and sign-up
// controls, notifications and leaving. Spread into `procedureCases`.
import { sendPasswordReset } from '@tessera/api';
import type { ProcedureCase } from './cases.ts';

export const accountCases: Record<string, ProcedureCase> = {
  'auth.me': { access: 'public' },
  'auth.signUp': {
    access: 'public',
    input: () => ({ email: 'newcomer@example.com', password: 'tessellated-mosaic-43' }),
  },
  'auth.signIn': {
    access: 'public',
    input: (w) => ({ email: w.root.email, password: 'tessellated-mosaic-42' }),
  },
  'auth.ssoProviders': { access: 'public' },
  'auth.identities': {},
  'auth.unlinkIdentity': {
    input: () => ({ provider: 'oidc', subject: 'subject-root' }),
    foreign: () => [{ provider: 'oidc', subject: 'subject-alice' }],
  },
  'auth.signOut': {},
  'auth.signOutEverywhere': {},
  'auth.sessions': {},
  'auth.revokeSession': {
    input: (w) => ({ id: w.root.spareSessionId }),
    foreign: (w) => [{ id: w.alice.sessionId }],
  },

  'auth.setLocale': { input: () => ({ locale: 'zh-CN' }) },
  // Notifications and leaving (decision 025): the session's own user only, no ids in the input.
  'notifications.settings': {},
  'notifications.list': {},
  'notifications.update': {
    input: () => ({ creditsLow: false, creditsLowThreshold: 5000, membershipEnding: true }),
  },
  'privacy.export': {},
  'privacy.deleteAccount': {
    // A wrong password: refused without a change, so the probes' admin keeps the account.
    input: (w) => ({ email: w.root.email, password: 'not-the-password-1' }),
    endsSessions: { as: 'self', input: (t) => ({ email: t.email, password: t.password }) },
  },
  // The same answer for any address; a made-up token is refused as RESET_LINK_INVALID.
  'auth.requestPasswordReset': {
    access: 'public',
    input: () => ({ email: 'forgetful@example.com', locale: 'en' }),
  },
  'auth.resetPassword': {
    access: 'public',
    input: () => ({ token: `${'a'.repeat(24)}.${'b'.repeat(32)}`, password: 'a-new-passphrase-9' }),
    endsSessions: {
      as: 'visitor',
      input: (t) => {
        const { link } = sendPasswordReset(t.db, {
          email: t.email,
          baseUrl: 'http://localhost:3000',
          now: t.now,
          actorLabel: 'security-suite',
        });
        return {
          token: new URL(link).searchParams.get('token'),
          password: 'a-brand-new-passphrase-9',
        };
      },
    },
  },

  // The code step of sign-in: a made-up pending token is refused as TWO_FACTOR_CHALLENGE_INVALID
  // before any throttle token is taken (decision 024).
  'auth.signInSecondFactor': {
    access: 'public',
    input: () => ({ pendingToken: `${'a'.repeat(24)}.${'b'.repeat(32)}`, code: '123456' }),
  },
  // root has no TOTP: confirming, disabling and regenerating answer NOT_FOUND or TWO_FACTOR_CODE_INVALID
  // before anything is written; starting stores an unconfirmed secret that protects nothing.
  'twoFactor.status': {},
  'twoFactor.startEnrolment': {},
  'twoFactor.confirmEnrolment': { input: () => ({ code: '123456' }) },
  'twoFactor.disable': { input: () => ({ code: '123456' }) },
  'twoFactor.regenerateRecoveryCodes': { input: () => ({ code: 'abcde-fghij' }) },

  // Sign-up controls and verification (decision 022). Made-up tokens are refused as
  // VERIFY_LINK_INVALID / INVITE_INVALID; the world's people are verified, so resending sends nothing.
  'signup.status': { access: 'public' },
  'signup.invite': {
    access: 'public',
    input: () => ({ token: `${'a'.repeat(24)}.${'b'.repeat(32)}` }),
  },
  'signup.verifyEmail': {
    access: 'public',
    input: () => ({ token: `${'a'.repeat(24)}.${'b'.repeat(32)}` }),
  },
  'signup.resendVerification': { input: () => ({ locale: 'en' }) },
  'admin.signup.mode': {},
  'admin.signup.setMode': { input: () => ({ mode: 'open' }) },
  'admin.signup.invites': {},
  'admin.signup.invite': { input: () => ({ email: 'invitee@example.com', locale: 'en' }) },
  'admin.signup.revokeInvite': {
    input: () => ({ id: 'invite-that-does-not-exist' }),
    foreign: 'invites are the platform’s: platform admins manage every one by design',
  },
  'auth.changePassword': {
    // A wrong current password: refused without a change, so the probes' admin keeps theirs.
    input: () => ({
      currentPassword: 'not-the-password-1',
      newPassword: 'a-brand-new-passphrase-9',
    }),
    endsSessions: {
      as: 'self',
      input: (t) => ({ currentPassword: t.password, newPassword: 'a-brand-new-passphrase-9' }),
    },
  },
};
