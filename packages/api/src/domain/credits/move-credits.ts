// Every credit change outside the chat's own admission and settlement (admin adjustments, bought
// and redeemed credits, refunds, a lapsed plan's allowance) goes through here: one guarded ledger
// insert that computes its delta from the account row, then the account moved by that delta, with
// the audit row and the member event, all in one transaction. A retried key changes nothing.
import type { CreditPot, DbOrTx, LedgerKind } from '@tessera/db';
import { type SQL, sql } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { appendMemberEvent } from '../../events/outbox.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { nextLedgerIdSql } from './ledger-sql.ts';

/** The largest amount any single change may name. */
export const MAX_CREDITS = 1_000_000_000_000;

export interface MoveCreditsInput {
  userId: string;
  pot: CreditPot;
  /**
   * `add` a (possibly negative) amount to the pot; `set` the pot to the amount; `takeBack` up to
   * the amount from the pot, as much as is there and not held by running requests, never below 0;
   * `capAt` lowers the pot to the amount when it holds more (again sparing what requests hold).
   */
  mode: 'add' | 'set' | 'takeBack' | 'capAt';
  amount: number;
  kind: LedgerKind;
  /** The ledger row's unique key: the same key twice is one change. */
  idempotencyKey: string;
  /** What the row is about: a reason, a pack, a mark, a Stripe object. */
  reference: string | null;
  actorUserId: string | null;
  audit: {
    action: string;
    tenantId?: string | null;
    actorLabel?: string | null;
    data?: Record<string, unknown>;
  };
  now: Date;
}

export type MoveCreditsResult =
  | { applied: true; delta: number; balance: number; purchased: number }
  | { applied: false; reason: 'duplicate' };

/** The pot's current amount, as SQL over the account row. */
function potSql(pot: CreditPot): SQL {
  return pot === 'purchased' ? sql.raw('a.purchased') : sql.raw('(a.balance - a.purchased)');
}

function deltaSql(input: MoveCreditsInput): SQL {
  const pot = potSql(input.pot);
  if (input.mode === 'add') return sql`${input.amount}`;
  if (input.mode === 'set') return sql`(${input.amount} - ${pot})`;
  if (input.mode === 'capAt')
    return sql`(-max(0, min(${pot} - ${input.amount}, a.balance - a.reserved)))`;
  return sql`(-max(0, min(${input.amount}, ${pot}, a.balance - a.reserved)))`;
}

/** Refuses an amount no engine should see: not whole, out of range, or adding nothing. */
export function assertValidMove(input: Pick<MoveCreditsInput, 'mode' | 'amount'>): void {
  const [min, max] = input.mode === 'add' ? [-MAX_CREDITS, MAX_CREDITS] : [0, MAX_CREDITS];
  if (
    !Number.isSafeInteger(input.amount) ||
    input.amount < min ||
    input.amount > max ||
    (input.mode === 'add' && input.amount === 0)
  ) {
    throw new DomainError('VALIDATION', 'The amount must be a whole number of credits.', {
      fieldErrors: { amount: ['INVALID'] },
    });
  }
}

export function moveCredits(db: DbOrTx, input: MoveCreditsInput): MoveCreditsResult {
  assertValidMove(input);
  const now = input.now.getTime();
  return db.transaction((tx) => {
    // The guard is in the statement: no row is written when the pot or the balance (less what
    // running requests hold) would go below zero, or when the key was used before.
    const row = tx.get<{ delta: number; balance_after: number } | undefined>(sql`
      insert into credit_ledger (user_id, id, delta, balance_after, kind, pot, idempotency_key, reference, actor_user_id, created_at)
      select m.user_id, ${sql.raw(nextLedgerIdSql('m.user_id'))}, m.delta, m.balance + m.delta,
             ${input.kind}, ${input.pot}, ${input.idempotencyKey}, ${input.reference}, ${input.actorUserId}, ${now}
      from (select a.user_id, a.balance, a.reserved, ${potSql(input.pot)} as pot, ${deltaSql(input)} as delta
            from credit_accounts a where a.user_id = ${input.userId}) m
      where m.pot + m.delta >= 0 and m.balance + m.delta >= m.reserved and m.delta <> 0
      on conflict(idempotency_key) do nothing
      returning delta, balance_after`);
    if (!row) return explainNoRow(tx, input);
    const purchasedDelta = input.pot === 'purchased' ? row.delta : 0;
    const account = tx.get<{ balance: number; purchased: number }>(sql`
      update credit_accounts set balance = balance + ${row.delta},
        purchased = purchased + ${purchasedDelta}, updated_at = ${now}
      where user_id = ${input.userId}
      returning balance, purchased`);
    recordAudit(tx, {
      tenantId: input.audit.tenantId ?? null,
      actorUserId: input.actorUserId,
      actorLabel: input.audit.actorLabel ?? null,
      action: input.audit.action,
      subjectType: 'user',
      subjectId: input.userId,
      data: {
        ...input.audit.data,
        pot: input.pot,
        delta: row.delta,
        balance: account.balance,
        purchased: account.purchased,
      },
      ip: null,
      createdAt: input.now,
    });
    appendMemberEvent(tx, { userId: input.userId, kind: 'credits.changed', now: input.now });
    return { applied: true as const, delta: row.delta, ...account };
  }, IMMEDIATE);
}

/** Why the guarded insert wrote nothing: a retry, nothing to move, or a guard refused. */
function explainNoRow(tx: DbOrTx, input: MoveCreditsInput): MoveCreditsResult {
  const used = tx.get(
    sql`select 1 from credit_ledger where idempotency_key = ${input.idempotencyKey}`,
  );
  if (used) return { applied: false, reason: 'duplicate' };
  const account = tx.get<{ balance: number; reserved: number; purchased: number }>(
    sql`select balance, reserved, purchased from credit_accounts where user_id = ${input.userId}`,
  );
  if (!account) throw new DomainError('NOT_FOUND', 'No such user.');
  return explainUnchanged(input, account);
}

/**
 * Why a move with a new key wrote nothing, from the account as the guard saw it: nothing to move
 * (not an error), or a pot or the balance less held credits would go below zero.
 */
export function explainUnchanged(
  input: MoveCreditsInput,
  account: { balance: number; reserved: number; purchased: number },
): MoveCreditsResult {
  const inPot = input.pot === 'purchased' ? account.purchased : account.balance - account.purchased;
  const wanted =
    input.mode === 'add' ? input.amount : input.mode === 'set' ? input.amount - inPot : 0;
  // Nothing to change (a set to the current amount, nothing left to take back) is not an error.
  if (wanted === 0 || input.mode === 'takeBack' || input.mode === 'capAt') {
    return {
      applied: true,
      delta: 0,
      balance: account.balance,
      purchased: account.purchased,
    };
  }
  if (inPot + wanted < 0) {
    throw new DomainError(
      'CONFLICT',
      input.pot === 'purchased'
        ? `Purchased credits are ${inPot}; they cannot go below zero.`
        : `The plan allowance is ${inPot}; it cannot go below zero (purchased credits are separate).`,
      { fieldErrors: { amount: ['BELOW_ZERO'] } },
    );
  }
  throw new DomainError(
    'CONFLICT',
    `The balance cannot go below the ${account.reserved} credits held by running requests.`,
    { fieldErrors: { amount: ['BELOW_RESERVED'] } },
  );
}
