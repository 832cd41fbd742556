// An admin stops an account (or lets it back in). Disabling ends every session at once, stops its
// API keys (verifyApiKey reads disabled_at on every request), refuses sign-in as a wrong password
// would, and cuts live answers through the member event. Enabling restores keys, not sessions.
import type { DbOrTx } from '@tessera/db';
import { sessions, users } from '@tessera/db';
import { and, eq, isNull } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { appendMemberEvent } from '../../events/outbox.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { recordAudit } from '../audit/record-audit.ts';

/** Refused before any storage, on every engine: an admin cannot lock themselves out. */
export function assertMayDisable(input: {
  userId: string;
  disabled: boolean;
  actorUserId: string | null;
}): void {
  if (input.disabled && input.actorUserId === input.userId) {
    throw new DomainError('FORBIDDEN', 'You cannot disable your own account.');
  }
}

export function setUserDisabled(
  db: DbOrTx,
  input: {
    userId: string;
    disabled: boolean;
    reason?: string;
    actorUserId: string | null;
    actorLabel?: string | null;
    now: Date;
  },
) {
  assertMayDisable(input);
  return db.transaction((tx) => {
    const user = tx
      .select({
        id: users.id,
        email: users.email,
        disabledAt: users.disabledAt,
        deletedAt: users.deletedAt,
      })
      .from(users)
      .where(eq(users.id, input.userId))
      .get();
    if (!user) throw new DomainError('NOT_FOUND', 'No such user.');
    // A deleted account (decision 025) stays disabled: its row is kept only for the books.
    if (user.deletedAt && !input.disabled)
      throw new DomainError('CONFLICT', 'This account was deleted; it cannot be enabled again.');
    const row = tx
      .update(users)
      .set(
        input.disabled
          ? { disabledAt: user.disabledAt ?? input.now, disabledReason: input.reason ?? null }
          : { disabledAt: null, disabledReason: null },
      )
      .where(eq(users.id, input.userId))
      .returning({ disabledAt: users.disabledAt, disabledReason: users.disabledReason })
      .get()!;
    const sessionsEnded = input.disabled
      ? tx.delete(sessions).where(eq(sessions.userId, input.userId)).run().changes
      : 0;
    appendMemberEvent(tx, { userId: input.userId, kind: 'account.changed', now: input.now });
    recordAudit(tx, {
      tenantId: null,
      actorUserId: input.actorUserId,
      actorLabel: input.actorLabel ?? null,
      action: input.disabled ? 'user.disabled' : 'user.enabled',
      subjectType: 'user',
      subjectId: input.userId,
      data: { email: user.email, reason: input.reason ?? null, sessionsEnded },
      ip: null,
      createdAt: input.now,
    });
    return { userId: user.id, email: user.email, ...row, sessionsEnded };
  }, IMMEDIATE);
}

/** True while the account exists and is not disabled. */
export function isUserEnabled(db: DbOrTx, userId: string): boolean {
  return (
    db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, userId), isNull(users.disabledAt)))
      .get() !== undefined
  );
}
