// The storage port of one area (docs/decisions/028, 034): the account's own settings and links —
// two factors (decision 024), outside identities (023), email verification, invites and the
// sign-up mode (022), password reset (021), leaving and the data export (025).
// One async method per whole transaction or read; rows and results are plain values of the
// domain's types, the same on every engine. Refusals are the domain's DomainErrors, worded by the
// shared code in auth/ and domain/users/ (both adapters throw the same ones).
import type { InviteStatus } from '../auth/invites.ts';
import type { SignupMode } from '../auth/signup-mode.ts';
import type { RedeemChallengeInput, RedeemedChallenge } from '../auth/two-factor/challenge.ts';
import type { TwoFactorStatus } from '../auth/two-factor/manage.ts';
import type { TwoFactorSettings } from '../auth/two-factor/secret-box.ts';
import type { DeletedAccount } from '../domain/users/delete-account.ts';
import type { UserExport } from '../domain/users/export-user-data.ts';
import type { MailLocale } from '../mail/templates.ts';

/** A second-factor code typed by the signed-in user, to turn 2FA off or renew recovery codes. */
export interface SecondFactorCodeInput {
  userId: string;
  code: string;
  now: Date;
  ip: string | null;
  settings: TwoFactorSettings;
}

export interface InviteRow {
  id: string;
  email: string;
  invitedByEmail: string | null;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  status: InviteStatus;
}

export interface LinkedIdentity {
  provider: string;
  subject: string;
  email: string | null;
  createdAt: Date;
}

/** Who acts in an admin change: a signed-in admin (user id) or an operator (CLI label). */
interface Actor {
  actorUserId: string | null;
  actorLabel?: string | null;
  ip?: string | null;
  now: Date;
}

export interface AccountStore {
  // Two factors (decision 024).
  twoFactorStatus(userId: string): Promise<TwoFactorStatus>;
  /** Whether a confirmed factor is on: one indexed read (the admin gate asks on every call). */
  hasTwoFactor(userId: string): Promise<boolean>;
  /**
   * The pending sign-in of an account with 2FA after its first factor (`method`): a single-use
   * token alive 5 minutes; no session yet.
   */
  issueTwoFactorChallenge(input: {
    userId: string;
    now: Date;
    method: string;
  }): Promise<{ pendingToken: string; expiresAt: Date }>;
  /**
   * Trades a pending token plus a TOTP or recovery code for the proof of both factors; the caller
   * starts the session (auth store). TWO_FACTOR_CHALLENGE_INVALID for an unknown, used, expired
   * token or a disabled account, a wrong code counts against the throttle (TOO_MANY_ATTEMPTS);
   * of two racing redemptions of one token one wins.
   */
  redeemTwoFactorChallenge(input: RedeemChallengeInput): Promise<RedeemedChallenge>;
  /** A fresh secret replacing an unconfirmed one; CONFLICT when 2FA is already on. */
  startTotpEnrolment(input: {
    userId: string;
    now: Date;
    settings: TwoFactorSettings;
  }): Promise<{ secret: string; uri: string }>;
  /** Turns TOTP on with a code for the new secret; answers the recovery codes (shown once). */
  confirmTotpEnrolment(input: SecondFactorCodeInput): Promise<{ recoveryCodes: string[] }>;
  /** Throttled code check, then the factor, its codes and pending challenges go, audited. */
  disableTwoFactor(input: SecondFactorCodeInput): Promise<{ ok: true }>;
  regenerateRecoveryCodes(input: SecondFactorCodeInput): Promise<{ recoveryCodes: string[] }>;
  /** The operator's reset (CLI `user:2fa-reset`); NOT_FOUND for an unknown address. */
  resetTwoFactor(input: {
    email: string;
    now: Date;
    actorLabel: string | null;
  }): Promise<{ email: string; userId: string; wasEnabled: boolean }>;

  // Sign-up mode and invites (decision 022).
  /** The stored mode (no row: open; an unreadable value: closed). */
  readSignupMode(): Promise<SignupMode>;
  /** What the sign-up page presents: open until the platform is claimed, else the stored mode. */
  effectiveSignupMode(): Promise<SignupMode>;
  setSignupMode(
    input: Actor & { mode: SignupMode },
  ): Promise<{ mode: SignupMode; previous: SignupMode }>;
  /** A single-use sign-up link mailed (outbox) to the address; an earlier pending one dies. */
  createInvite(
    input: Actor & { email: string; locale?: MailLocale; baseUrl: string },
  ): Promise<{ id: string; email: string; link: string; expiresAt: Date }>;
  /** The invited address behind a token, or INVITE_INVALID with the reason. */
  describeInvite(token: string, now: Date): Promise<{ email: string }>;
  listInvites(input: { now: Date; limit?: number }): Promise<InviteRow[]>;
  revokeInvite(input: Actor & { id: string }): Promise<{ ok: true }>;

  // Email verification (decision 022).
  /** Whether the user's address is proven (auth.me, the viewer after sign-in). */
  isEmailVerified(userId: string): Promise<boolean>;
  verifyEmail(input: { token: string; ip: string | null; now: Date }): Promise<{ email: string }>;
  resendEmailVerification(input: {
    userId: string;
    requestLocale?: MailLocale;
    baseUrl: string;
    now: Date;
  }): Promise<{ alreadyVerified: boolean }>;

  // Password reset (decision 021).
  /** The public "forgot password": throttled, the same answer whether or not the address exists. */
  requestPasswordReset(input: {
    email: string;
    locale?: MailLocale;
    baseUrl: string;
    ip: string | null;
    now: Date;
  }): Promise<{ ok: true }>;
  /** An operator's reset link (CLI); NOT_FOUND for an unknown address. */
  sendPasswordReset(input: {
    email: string;
    baseUrl: string;
    now: Date;
    actorLabel: string | null;
  }): Promise<{ email: string; link: string; mailId: string; expiresAt: Date }>;
  /** Uses a reset link: new password, other links dead, every session ended. */
  resetPassword(input: {
    token: string;
    password: string;
    ip: string | null;
    now: Date;
  }): Promise<{ sessionsEnded: number }>;

  // Outside identities (decision 023). Signing in through an issuer starts a session: auth's.
  listUserIdentities(userId: string): Promise<LinkedIdentity[]>;
  unlinkIdentity(input: {
    userId: string;
    provider: string;
    subject: string;
    ip: string | null;
    now: Date;
  }): Promise<{ ok: true }>;

  // Leaving (decision 025).
  exportUserData(input: { userId: string; now: Date }): Promise<UserExport>;
  /** Confirmed by email, current password (throttled) and, with 2FA on, a code. */
  deleteOwnAccount(input: {
    userId: string;
    email: string;
    password: string;
    code?: string;
    twoFactor: TwoFactorSettings;
    ip: string | null;
    now: Date;
  }): Promise<DeletedAccount>;
  /** An operator deletes an account by its address (CLI `user:delete`). */
  deleteAccountByEmail(input: {
    email: string;
    actorLabel: string;
    now: Date;
  }): Promise<DeletedAccount>;
}
