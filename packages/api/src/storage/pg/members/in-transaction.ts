// Rows a PostgreSQL member transaction appends beside its change, with the same columns SQLite's
// events/outbox.ts and domain/audit/record-audit.ts write (one small function each; they may move
// to the ops store's adapter once it has them), and the allowance lapse of decision 015.
import type { NewAuditEvent } from '@tessera/db';
import { auditEvents, memberEvents, type PgTx } from '@tessera/db/pg';
import { sql } from 'drizzle-orm';
import { allowanceCeilingOfRows } from '../../../domain/credits/lapse-allowance.ts';
import { DomainError } from '../../../errors.ts';
import type { MemberEventKind } from '../../../events/outbox.ts';

export async function appendMemberEventPg(
  tx: PgTx,
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

export async function recordAuditPg(tx: PgTx, event: Omit<NewAuditEvent, 'id'>): Promise<void> {
  await tx.insert(auditEvents).values({
    ...event,
    data: (event.data as Record<string, unknown> | null | undefined) ?? null,
  });
}

/**
 * Locks the user's credit account first (decision 028's lock order) in a transaction that will
 * lower the allowance: every money transaction of this user then queues behind this one.
 */
export async function lockCreditAccount(tx: PgTx, userId: string): Promise<void> {
  await tx.execute(sql`select 1 from credit_accounts where user_id = ${userId} for update`);
}

/**
 * lapseAllowance (domain/credits/lapse-allowance.ts) in this transaction: the allowance is capped at
 * what the marks still held at `now` refill it to, through the money path's own function
 * (tessera_move_credits: ledger row keyed by `key`, audit, `credits.changed`). NOT_FOUND without a
 * credit account, as on SQLite (the whole transaction rolls back).
 */
export async function lapseAllowancePg(
  tx: PgTx,
  input: {
    userId: string;
    markKey: string;
    tenantId: string | null;
    key: string;
    actorUserId: string | null;
    actorLabel?: string | null;
    now: Date;
  },
): Promise<void> {
  const held = await tx.execute<{ entitlements: string; ceiling: string | null }>(sql`
    select m.entitlements::text as entitlements,
           case when t.kind = 'vendor' then t.ceiling::text end as ceiling
    from memberships ms join marks m on m.id = ms.mark_id join tenants t on t.id = m.tenant_id
    where ms.user_id = ${input.userId}
      and (ms.expires_at is null or ms.expires_at > ${input.now.getTime()})
      and t.suspended_at is null`);
  const cap = allowanceCeilingOfRows(held.rows);
  const moved = await tx.execute<{ o_outcome: string }>(sql`
    select o_outcome from tessera_move_credits(${input.userId}, 'allowance', 'capAt', ${cap}, 'lapse',
      ${input.key}, ${input.markKey}, ${input.actorUserId}, ${input.now.getTime()}, 'credits.lapsed',
      ${input.tenantId}, ${input.actorLabel ?? null}, ${JSON.stringify({ markKey: input.markKey })}::jsonb)`);
  if (moved.rows[0]?.o_outcome === 'no_account')
    throw new DomainError('NOT_FOUND', 'No such user.');
}
