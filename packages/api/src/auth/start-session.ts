// What happens once a person has proven who they are — by password, by password and code, or by
// SSO: either a session starts, or, for an account with 2FA, a short-lived pending token asks
// for the code first. `beginSignedIn` is the one place that decides; every sign-in path (password,
// SSO) calls it, so none can skip the second factor.
import type { Db, Tx } from '@tessera/db';
import { recordAudit } from '../domain/audit/record-audit.ts';
import type { ActiveMembership } from '../domain/memberships/list-active-memberships.ts';
import type { IdentityLink } from '../storage/auth-store.ts';
import type { Stores } from '../storage/stores.ts';
import { createSession, type RequestOrigin, type ValidSession } from './sessions.ts';
import { linkIdentity } from './sso/sso-accounts.ts';

export interface SignInContext extends RequestOrigin {
  userId: string;
  now: Date;
  /** For the on-demand credit refill that a sign-in triggers. */
  timeZone: string;
}

/** What starts a session: who, how (`method`, `secondFactor`), and for SSO the link to make. */
export interface SessionStart extends SignInContext {
  method: string;
  secondFactor?: string;
  /**
   * SSO links the outside account in the session's transaction, only when a session starts:
   * nothing is linked for a sign-in that still owes its second factor.
   */
  link?: IdentityLink;
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
 * After the first factor (`method`: `password`, or `sso:<provider>`), for a caller that knows
 * whether the account has 2FA (read with the credentials, or with the SSO account): a session, or
 * — when the user has 2FA on — a pending second-factor token and no session (and no link).
 */
export async function beginSignedIn(
  stores: Pick<Stores, 'auth' | 'account' | 'members' | 'money'>,
  input: SessionStart & { twoFactor: boolean },
): Promise<FirstFactorOutcome> {
  const { twoFactor, link, ...context } = input;
  if (twoFactor) {
    const challenge = await stores.account.issueTwoFactorChallenge(context);
    return { status: 'second_factor_required', ...challenge };
  }
  return { status: 'signed_in', ...(await startSignedInSession(stores, { ...context, link })) };
}

/**
 * A sign-in's session through the stores: the session and its audit event (auth store), then the
 * sign-in bookkeeping — lapsed marks flagged expired, due on-demand refills granted — through the
 * members and money stores, the same on every engine (decision 038).
 */
export async function startSignedInSession(
  stores: Pick<Stores, 'auth' | 'members' | 'money'>,
  input: SessionStart,
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
 * The session and its `session.created` audit event, with SSO's link first, in one transaction
 * (the auth store's, on SQLite). A new token at every sign-in, so a token planted before sign-in
 * is worthless after.
 */
export function startSessionOnly(db: Db, input: SessionStart): StartedSession {
  return db.transaction((tx) => {
    if (input.link)
      linkIdentity(tx, { ...input.link, userId: input.userId, ip: input.ip, now: input.now });
    return createAuditedSession(tx, input);
  });
}

function createAuditedSession(tx: Tx, input: SessionStart): StartedSession {
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
