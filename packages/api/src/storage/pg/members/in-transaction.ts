import type { PgTx } from '@tessera/db/pg';
import { sql } from 'drizzle-orm';
import { allowanceCeilingOfRows } from '../../../domain/credits/lapse-allowance.ts';
import { DomainError } from '../../../errors.ts';

export { appendMemberEventPg, recordAuditPg } from '../ops/in-transaction.ts';

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
