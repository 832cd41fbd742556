// What happens once a person has proven who they are — by password, by password and code, or by
// SSO: either a session starts, or, for an account with 2FA, a short-lived pending token asks
// for the code first. `completeFirstFactor` (and its store-backed twin `beginSignedIn`, for the
// password sign-in) is the one place that decides; every sign-in path calls one of them, so none
// can skip the second factor.
import type { Db, Tx } from '@tessera/db';
import { recordAudit } from '../domain/audit/record-audit.ts';
import { refillUserOnDemand } from '../domain/credits/refill-user.ts';
import { expireLapsedMemberships } from '../domain/memberships/expire-lapsed.ts';
import {
  type ActiveMembership,
  listActiveMemberships,
} from '../domain/memberships/list-active-memberships.ts';
import type { Stores } from '../storage/stores.ts';
import { createSession, type RequestOrigin, type ValidSession } from './sessions.ts';
import { issueTwoFactorChallenge } from './two-factor/challenge.ts';
import { hasTwoFactor } from './two-factor/totp.ts';

export interface SignInContext extends RequestOrigin {
  userId: string;
  now: Date;
  /** For the on-demand credit refill that a sign-in triggers. */
  timeZone: string;
  /**
   * Runs in the session's transaction, only when a session starts (SSO links an identity there):
   * nothing of it happens for a sign-in that still owes its second factor.
   */
  alsoInTransaction?: (tx: Tx) => void;
}

export interface StartedSession {
  token: string;
  session: ValidSession;
  userId: string;
}

export type FirstFactorOutcome =
  | ({ status: 'signed_in' } & StartedSession)
  | { status: 'second_factor_required'; pendingToken: string; expiresAt: Date };

/**
 * After the first factor (`method`: `password`, or an SSO provider's name): a session, or — when
 * the user has 2FA on — a pending second-factor token and no session.
 */
export function completeFirstFactor(
  db: Db,
  input: SignInContext & { method: string },
): FirstFactorOutcome {
  if (hasTwoFactor(db, input.userId)) {
    const challenge = issueTwoFactorChallenge(db, input);
    return { status: 'second_factor_required', ...challenge };
  }
  return { status: 'signed_in', ...startSession(db, input) };
}

/**
 * completeFirstFactor through the stores, for a caller that already knows whether the account has
 * 2FA (sign-in read it with the credentials): the same decision, on any engine.
 */
export async function beginSignedIn(
  stores: Pick<Stores, 'auth' | 'account' | 'members' | 'money'>,
  input: Omit<SignInContext, 'alsoInTransaction'> & { method: string; twoFactor: boolean },
): Promise<FirstFactorOutcome> {
  const { twoFactor, ...context } = input;
  if (twoFactor) {
    const challenge = await stores.account.issueTwoFactorChallenge(context);
    return { status: 'second_factor_required', ...challenge };
  }
  return { status: 'signed_in', ...(await startSignedInSession(stores, context)) };
}

/**
 * A sign-in's session through the stores: the session and its audit event (auth store), then the
 * sign-in bookkeeping — lapsed marks flagged expired, due on-demand refills granted — through the
 * members and money stores, the same on every engine (decision 038).
 */
export async function startSignedInSession(
  stores: Pick<Stores, 'auth' | 'members' | 'money'>,
  input: Omit<SignInContext, 'alsoInTransaction'> & { method: string; secondFactor?: string },
): Promise<StartedSession> {
  const started = await stores.auth.startSession(input);
  // Bookkeeping sweep (access never depended on it): lapsed marks are flagged expired.
  await stores.members.expireLapsedMemberships({ userId: input.userId, now: input.now });
  // Signing in is activity: on-demand refills whose period has turned are granted now.
  const active = await stores.members.listActiveMemberships(input.userId, input.now);
  await stores.money.refillUserOnDemand({
    userId: input.userId,
    refills: heldRefills(active),
    now: input.now,
    timeZone: input.timeZone,
  });
  return started;
}

function heldRefills(active: readonly ActiveMembership[]) {
  return active.flatMap((m) =>
    m.entitlements.refill
      ? [{ markId: m.markId, markKey: m.markKey, policy: m.entitlements.refill }]
      : [],
  );
}

/**
 * Starts a fresh session (a new token at every sign-in, so a token planted before sign-in is
 * worthless after), audited, then grants on-demand refills whose period has turned. The SQLite
 * path of SSO sign-in; startSignedInSession is the same through the stores.
 */
export function startSession(
  db: Db,
  input: SignInContext & { method: string; secondFactor?: string },
): StartedSession {
  const started = db.transaction((tx) => {
    input.alsoInTransaction?.(tx);
    // Bookkeeping sweep (access never depended on it): lapsed marks are flagged expired.
    expireLapsedMemberships(tx, { userId: input.userId, now: input.now });
    return createAuditedSession(tx, input);
  });

  // Signing in is activity: on-demand refills whose period has turned are granted now.
  refillUserOnDemand(db, {
    userId: input.userId,
    refills: heldRefills(listActiveMemberships(db, input.userId, input.now)),
    now: input.now,
    timeZone: input.timeZone,
  });
  return started;
}

/** The session and its `session.created` audit event, in one transaction (the auth store's). */
export function startSessionOnly(
  db: Db,
  input: SignInContext & { method: string; secondFactor?: string },
): StartedSession {
  return db.transaction((tx) => createAuditedSession(tx, input));
}

function createAuditedSession(
  tx: Tx,
  input: SignInContext & { method: string; secondFactor?: string },
): StartedSession {
  const started = createSession(tx, {
    userId: input.userId,
    now: input.now,
    ip: input.ip,
    userAgent: input.userAgent,
  });
  recordAudit(tx, {
    tenantId: null,
    actorUserId: input.userId,
    action: 'session.created',
    subjectType: 'user',
    subjectId: input.userId,
    data: {
      sessionId: started.session.id,
      userAgent: input.userAgent,
      method: input.method,
      ...(input.secondFactor ? { secondFactor: input.secondFactor } : {}),
    },
    ip: input.ip,
    createdAt: input.now,
  });
  return { ...started, userId: input.userId };
}
