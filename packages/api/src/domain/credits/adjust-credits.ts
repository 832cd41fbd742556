import type { Db } from '@tessera/db';
import { DomainError } from '../../errors.ts';
import { appendMemberEvent } from '../../events/outbox.ts';
import { randomId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { nextLedgerIdSql } from './ledger-sql.ts';

export interface AdjustCreditsInput {
  userId: string;
  /** `add` a (possibly negative) amount, or `set` the balance to an amount. */
  mode: 'add' | 'set';
  amount: number;
  reason: string;
  actorUserId: string | null;
  /** Who acted when no signed-in user did, or through which tool (`cli:<os user>`); for the audit log. */
  actorLabel?: string | null;
  /** Makes a retried adjustment a no-op; defaults to a fresh key (every call counts). */
  idempotencyKey?: string;
  now: Date;
}

const MAX_CREDITS = 1_000_000_000_000;

/**
 * A manual adjustment (LibreChat's add-balance / set-balance). One ledger row and one guarded
 * balance update in a transaction with the audit event: the balance can never drop below what is
 * reserved by running requests, and a retry with the same key changes nothing.
 */
export function adjustCredits(db: Db, input: AdjustCreditsInput) {
  const limit = input.mode === 'set' ? [0, MAX_CREDITS] : [-MAX_CREDITS, MAX_CREDITS];
  if (
    !Number.isSafeInteger(input.amount) ||
    input.amount < limit[0]! ||
    input.amount > limit[1]! ||
    (input.mode === 'add' && input.amount === 0)
  ) {
    throw new DomainError('VALIDATION', 'The amount must be a whole number of credits.', {
      fieldErrors: { amount: ['INVALID'] },
    });
  }
  const key = `${input.mode}:${input.idempotencyKey ?? randomId()}`;
  const now = input.now.getTime();
  const deltaSql = input.mode === 'set' ? '@amount - balance' : '@amount';
  return db.transaction((tx) => {
    const row = db.$client
      .prepare<
        [
          {
            amount: number;
            key: string;
            reason: string;
            actor: string | null;
            now: number;
            kind: string;
            user: string;
          },
        ],
        { delta: number; balance_after: number }
      >(
        `insert into credit_ledger (user_id, id, delta, balance_after, kind, idempotency_key, reference, actor_user_id, created_at)
         select user_id, ${nextLedgerIdSql('@user')}, ${deltaSql}, balance + (${deltaSql}), @kind, @key, @reason, @actor, @now from credit_accounts
         where user_id = @user and balance + (${deltaSql}) >= reserved
         on conflict(idempotency_key) do nothing
         returning delta, balance_after`,
      )
      .get({
        amount: input.amount,
        key,
        reason: input.reason,
        actor: input.actorUserId,
        now,
        kind: input.mode === 'set' ? 'set' : 'adjust',
        user: input.userId,
      });
    if (!row) {
      const exists = db.$client
        .prepare('select 1 from credit_ledger where idempotency_key = ?')
        .get(key);
      if (exists) return { applied: false as const, key };
      const account = db.$client
        .prepare('select reserved from credit_accounts where user_id = ?')
        .get(input.userId) as { reserved: number } | undefined;
      if (!account) throw new DomainError('NOT_FOUND', 'No such user.');
      throw new DomainError(
        'CONFLICT',
        `The balance cannot go below the ${account.reserved} credits held by running requests.`,
        {
          fieldErrors: { amount: ['BELOW_RESERVED'] },
        },
      );
    }
    db.$client
      .prepare('update credit_accounts set balance = balance + ?, updated_at = ? where user_id = ?')
      .run(row.delta, now, input.userId);
    recordAudit(tx, {
      tenantId: null,
      actorUserId: input.actorUserId,
      actorLabel: input.actorLabel ?? null,
      action: input.mode === 'set' ? 'credits.set' : 'credits.added',
      subjectType: 'user',
      subjectId: input.userId,
      data: {
        amount: input.amount,
        delta: row.delta,
        balance: row.balance_after,
        reason: input.reason,
      },
      ip: null,
      createdAt: input.now,
    });
    appendMemberEvent(tx, { userId: input.userId, kind: 'credits.changed', now: input.now });
    return { applied: true as const, key, delta: row.delta, balance: row.balance_after };
  });
}
