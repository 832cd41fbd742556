import type { CreditPot, DbOrTx } from '@tessera/db';
import { randomId } from '../../lib/ids.ts';
import { type MoveCreditsInput, type MoveCreditsResult, moveCredits } from './move-credits.ts';

export interface AdjustCreditsInput {
  userId: string;
  /** `add` a (possibly negative) amount to the pot, or `set` the pot to an amount. */
  mode: 'add' | 'set';
  amount: number;
  /**
   * Which pot (decision 015). `allowance` (the default) is plan credits: a refill resets or tops
   * it up and a lapsed plan takes it back. `purchased` is credits granted as bought: refills never
   * touch them and they outlive every plan.
   */
  pot?: CreditPot;
  reason: string;
  actorUserId: string | null;
  /** Who acted when no signed-in user did, or through which tool (`cli:<os user>`); for the audit log. */
  actorLabel?: string | null;
  /** Makes a retried adjustment a no-op; defaults to a fresh key (every call counts). */
  idempotencyKey?: string;
  now: Date;
}

/**
 * A manual adjustment (LibreChat's add-balance / set-balance), per pot: one guarded ledger row and
 * balance update in a transaction with the audit event. Neither pot, nor the balance less what
 * running requests hold, can go below zero; a retry with the same key changes nothing.
 */
export function adjustCredits(db: DbOrTx, input: AdjustCreditsInput) {
  const adjustment = adjustmentOf(input);
  return adjustment.result(moveCredits(db, adjustment.move));
}

/** The same adjustment through a store's `moveCredits` (routers and the CLI: any engine). */
export async function adjustCreditsThrough(
  move: (input: MoveCreditsInput) => Promise<MoveCreditsResult>,
  input: AdjustCreditsInput,
) {
  const adjustment = adjustmentOf(input);
  return adjustment.result(await move(adjustment.move));
}

/** The credit move an adjustment makes, and how its outcome is reported. */
function adjustmentOf(input: AdjustCreditsInput) {
  const pot = input.pot ?? 'allowance';
  const key = `${input.mode}:${input.idempotencyKey ?? randomId()}`;
  const move: MoveCreditsInput = {
    userId: input.userId,
    pot,
    mode: input.mode,
    amount: input.amount,
    kind: input.mode === 'set' ? 'set' : 'adjust',
    idempotencyKey: pot === 'purchased' ? `${key}:purchased` : key,
    reference: input.reason,
    actorUserId: input.actorUserId,
    audit: {
      action: input.mode === 'set' ? 'credits.set' : 'credits.added',
      actorLabel: input.actorLabel ?? null,
      data: { amount: input.amount, reason: input.reason },
    },
    now: input.now,
  };
  return {
    move,
    result: (result: MoveCreditsResult) =>
      result.applied
        ? { applied: true as const, key, pot, delta: result.delta, balance: result.balance }
        : { applied: false as const, key, pot },
  };
}
