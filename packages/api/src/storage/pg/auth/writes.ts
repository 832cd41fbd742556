// The audit and member-event rows the auth transactions write on PostgreSQL, the same columns as
// recordAudit and appendMemberEvent write on SQLite (no ops port for them yet: decision 034).

import type { NewAuditEvent } from '@tessera/db';
import { auditEvents, memberEvents, type PgDbOrTx } from '@tessera/db/pg';
import type { MemberEventKind } from '../../../events/outbox.ts';

export async function insertAudit(tx: PgDbOrTx, event: Omit<NewAuditEvent, 'id'>): Promise<void> {
  await tx.insert(auditEvents).values(event);
}

export async function insertMemberEvent(
  tx: PgDbOrTx,
  event: { userId: string; kind: MemberEventKind; markKey?: string | null; now: Date },
): Promise<void> {
  await tx.insert(memberEvents).values({
    userId: event.userId,
    kind: event.kind,
    markKey: event.markKey ?? null,
    data: null,
    createdAt: event.now,
  });
}
