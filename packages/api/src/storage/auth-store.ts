// The storage port of one area (docs/decisions/028, 034, 038): sign-up, sign-in, sign-out,
// sessions, throttles, passwords, users (admin). One async method per whole transaction or read;
// rows and results are plain values of the domain's types, the same on every engine. Validation,
// hashing, token generation and the wording of refusals stay in the shared domain code
// (auth/*, domain/users/*), which calls these methods.
//
// Resolving a session token into a signed-in member (the per-request read) is not here: it
// belongs to the member context (MemberStore). This port writes sessions and lists them.
import type { TenantRole } from '@tessera/db';
import type { SessionStart, StartedSession } from '../auth/start-session.ts';
import type { BucketPolicy } from '../auth/throttle.ts';
import type { CreatedUser } from '../domain/users/create-user.ts';
import type { MailLocale } from '../mail/templates.ts';
import type { TenantRoleGrant } from '../member/member-context.ts';

/** One token bucket of the throttles (decision 002): its key and its size. */
export interface ThrottleBucket {
  key: string;
  policy: BucketPolicy;
}

export type ThrottleDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface SessionSummary {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
}

/** What a password check needs about an account (looked up by email or id). */
export interface Credentials {
  id: string;
  email: string;
  passwordHash: string;
  disabledAt: Date | null;
  /** Whether a second factor is enabled (sign-in then asks for the code instead of starting). */
  twoFactor: boolean;
}

export interface UserSummary {
  id: string;
  email: string;
  displayName: string | null;
  createdAt: Date;
}

/** A user as the admin console sees them: whether disabled (and why), whether verified. */
export interface UserRecord extends UserSummary {
  disabledAt: Date | null;
  disabledReason: string | null;
  emailVerifiedAt: Date | null;
}

export interface ListedUser extends UserRecord {
  roles: { tenantId: string; tenantSlug: string; role: TenantRole }[];
}

/** What `auth.me` adds to the session's user: every tenant role held, whether verified. */
export interface ViewerStanding {
  roles: TenantRoleGrant[];
  emailVerified: boolean;
}

export interface NewUser {
  /** Normalised already (normalizeEmail). */
  email: string;
  /** Hashed already (hashPassword): hashing never happens inside a transaction. */
  passwordHash: string;
  displayName: string | null;
  platformAdmin: boolean;
  emailVerified: boolean;
  actorUserId: string | null;
  actorLabel: string | null;
  ip: string | null;
  now: Date;
}

/** Self-service sign-up: an account whose admission (decision 022) is decided in its transaction. */
export interface SignUpRequest extends NewUser {
  /** The invite link's token, consumed in the same transaction; null = none. */
  inviteToken: string | null;
  /** The language the verification mail is written in. */
  locale: MailLocale | null;
  /** Where the verification link points. */
  baseUrl: string;
}

export interface PasswordReplacement {
  userId: string;
  /** The session that changed it: it stays, every other session of the user ends. */
  keepSessionId: string;
  /** The hash the current password was verified against: a change made meanwhile wins. */
  verifiedHash: string;
  newHash: string;
  /** The account's sign-in bucket, forgotten with the old password. */
  throttleKey: string;
  ip: string | null;
  now: Date;
}

/** An account a sign-in through an identity provider may land on (decision 023). */
export interface SsoAccountMatch {
  id: string;
  /** Found by the outside account's link (`identity`), or by the profile's address (`email`). */
  by: 'identity' | 'email';
  disabledAt: Date | null;
  emailVerifiedAt: Date | null;
  /** Whether a second factor is enabled: the provider stands in for the password only. */
  twoFactor: boolean;
}

/** An outside account linked in a sign-in's session transaction (decision 023). */
export interface IdentityLink {
  provider: string;
  subject: string;
  email: string | null;
  /** Audited: linked to an account that had the address, or to one created at this sign-in. */
  outcome: 'linked' | 'created';
}

export interface SetUserDisabledInput {
  userId: string;
  disabled: boolean;
  reason?: string;
  actorUserId: string | null;
  actorLabel?: string | null;
  now: Date;
}

export interface UserDisabledResult {
  userId: string;
  email: string;
  disabledAt: Date | null;
  disabledReason: string | null;
  sessionsEnded: number;
}

export interface AuthStore {
  // ── throttles (decision 002) ──────────────────────────────────────────────────────────────
  /**
   * Takes one token from every bucket, all or nothing, in one transaction of guarded upserts: on
   * the first bucket that is empty nothing is taken and its wait is returned.
   */
  takeThrottleTokens(buckets: readonly ThrottleBucket[], now: Date): Promise<ThrottleDecision>;
  /** After an attempt proved legitimate: forgets the `reset` buckets, gives `giveBack` a token. */
  forgiveThrottle(input: {
    reset: readonly string[];
    giveBack: readonly ThrottleBucket[];
    now: Date;
  }): Promise<void>;

  // ── credentials and sessions ──────────────────────────────────────────────────────────────
  /** The account behind a (normalised) email or an id, for a password check; null if none. */
  findCredentials(by: { email: string } | { userId: string }): Promise<Credentials | null>;
  /**
   * Sets a new password hash guarded on the verified one, forgets the account's throttle and
   * ends every other session, audited, in one transaction. Null when the hash changed meanwhile
   * (nothing written).
   */
  replacePassword(input: PasswordReplacement): Promise<{ sessionsEnded: number } | null>;
  /** A session with a brand-new token (returned once, never stored), no more. */
  createSession(input: {
    userId: string;
    now: Date;
    ip: string | null;
    userAgent: string | null;
  }): Promise<{
    token: string;
    session: StartedSession['session'];
  }>;
  /**
   * A sign-in's session: a new token, audited `session.created` with its method, in one
   * transaction; with `link`, the outside account is linked to the user in it too (audited
   * `user.identity_linked`; already linked to this user: nothing more; to another: CONFLICT and
   * nothing written). The sign-in bookkeeping (lapsed marks, on-demand refills) is the caller's,
   * through the members and money stores (auth/start-session.ts startSignedInSession, decision 038).
   */
  startSession(input: SessionStart): Promise<StartedSession>;
  /** The user's sessions, most recently seen first. */
  listSessions(userId: string): Promise<SessionSummary[]>;
  /** Ends one of the user's own sessions; false when they have no such session. */
  endSession(userId: string, sessionId: string): Promise<boolean>;
  /**
   * Ends the session a token names, only when its secret matches (a guessed id ends nothing);
   * false otherwise. For a cookie that came with an SSO callback (perhaps planted).
   */
  endSessionByToken(token: string): Promise<boolean>;
  /** Ends every session of the user, audited `session.revoked_all`; how many ended. */
  endAllSessions(input: { userId: string; ip: string | null; now: Date }): Promise<number>;

  // ── users ─────────────────────────────────────────────────────────────────────────────────
  /**
   * Creates an account: the first one ever claims the platform (owner), the others get the
   * platform admin role if asked; a credit account, the free mark and the audit event come with it
   * in one transaction. Throws EMAIL_TAKEN.
   */
  createUser(input: NewUser): Promise<CreatedUser>;
  /**
   * createUser for self-service sign-up, with its admission in the same transaction: unless this
   * is the first account, the sign-up mode must admit it (SIGNUP_CLOSED); an invite is consumed
   * (INVITE_INVALID); the address counts as verified when the invite named it, else a verification
   * link is stored and its mail queued. A refusal writes nothing.
   */
  signUp(input: SignUpRequest): Promise<CreatedUser>;
  /**
   * Where a sign-in through an identity provider lands (decision 023): the account linked to
   * (provider, subject), else the account of `email` (normalised already; null = none given), else
   * null. One read.
   */
  findSsoAccount(input: {
    provider: string;
    subject: string;
    email: string | null;
  }): Promise<SsoAccountMatch | null>;
  /**
   * createUser for an account an identity provider signs up: sign-up's mode must admit it unless it
   * is the first account (SIGNUP_CLOSED; no invite travels through an issuer), with no verification
   * link (the address is verified when the provider vouches for it, as `emailVerified` says).
   * Throws EMAIL_TAKEN. A refusal writes nothing.
   */
  createSsoAccount(input: NewUser): Promise<CreatedUser>;
  /** Users by email, optionally those whose email contains `search`, with their tenant roles. */
  listUsers(input: { search?: string; limit?: number }): Promise<ListedUser[]>;
  userById(userId: string): Promise<UserRecord | null>;
  /** The account of a (not yet normalised) email; null if none. */
  userByEmail(email: string): Promise<UserSummary | null>;
  /** Roles and verification of a signed-in user (every page load asks). */
  viewerStanding(userId: string): Promise<ViewerStanding>;
  /**
   * Disables (ending every session) or enables an account, with its member event and audit
   * event, in one transaction. Throws NOT_FOUND, or CONFLICT for enabling a deleted account.
   */
  setUserDisabled(input: SetUserDisabledInput): Promise<UserDisabledResult>;
  /** The language the user reads the app in (their mails are written in it). */
  setUserLocale(userId: string, locale: MailLocale): Promise<void>;
}
