// What every way of signing in ends with — a password (sign-in.ts) or an outside identity provider
// (sso/) — so both make the same session, the same audit row and the same sign-in side effects.
// A second factor, when there is one, belongs in front of this one call.
import type { Db, Tx } from '@tessera/db';
import { recordAudit } from '../domain/audit/record-audit.ts';
import { refillUserOnDemand } from '../domain/credits/refill-user.ts';
import { expireLapsedMemberships } from '../domain/memberships/expire-lapsed.ts';
import { listActiveMemberships } from '../domain/memberships/list-active-memberships.ts';
import { createSession, type RequestOrigin } from './sessions.ts';

export interface SignedInSessionInput extends RequestOrigin {
  userId: string;
  now: Date;
  /** For the on-demand credit refill that a sign-in triggers. */
  timeZone: string;
  /** How the user proved who they are (`password`, `sso:oidc`, `sso:github`), for the audit log. */
  method: string;
  /** Runs in the session's transaction first (the password path resets its throttle there). */
  alsoInTransaction?: (tx: Tx) => void;
}

/** Starts a fresh session for a user whose identity has just been proven; audited. */
export function startSignedInSession(db: Db, input: SignedInSessionInput) {
  const started = db.transaction((tx) => {
    input.alsoInTransaction?.(tx);
    // Bookkeeping sweep (access never depended on it): lapsed marks are flagged expired.
    expireLapsedMemberships(tx, { userId: input.userId, now: input.now });
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
      data: { sessionId: started.session.id, userAgent: input.userAgent, method: input.method },
      ip: input.ip,
      createdAt: input.now,
    });
    return { ...started, userId: input.userId };
  });

  // Signing in is activity: on-demand refills whose period has turned are granted now.
  const refills = listActiveMemberships(db, input.userId, input.now).flatMap((m) =>
    m.entitlements.refill
      ? [{ markId: m.markId, markKey: m.markKey, policy: m.entitlements.refill }]
      : [],
  );
  refillUserOnDemand(db, {
    userId: input.userId,
    refills,
    now: input.now,
    timeZone: input.timeZone,
  });
  return started;
}
