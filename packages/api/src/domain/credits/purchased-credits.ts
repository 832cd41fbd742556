// Purchased credits (decision 015): bought in a credit pack, redeemed from a code, or granted by
// an admin as purchased. They sit beside the plan allowance, are spent after it, and no refill or
// lapsed plan touches them.
import type { DbOrTx } from '@tessera/db';
import { moveCredits } from './move-credits.ts';

export interface PurchasedCreditsInput {
  userId: string;
  amount: number;
  /** Unique per purchase (`pack:<checkout session>`, `code:<code id>`): a retry adds nothing. */
  idempotencyKey: string;
  /** What was bought or redeemed, for the ledger and the audit log. */
  reason: string;
  actorUserId: string | null;
  actorLabel?: string | null;
  tenantId?: string | null;
  now: Date;
}

/** Adds purchased credits. `applied: false` when this key was granted before. */
export function grantPurchasedCredits(db: DbOrTx, input: PurchasedCreditsInput) {
  return movePurchased(db, input, { mode: 'add', kind: 'purchase', action: 'credits.purchased' });
}

/**
 * Takes back up to `amount` purchased credits (a refunded pack): only what is unspent and not held
 * by a running request, never below zero. `delta` says what was taken (0 when all was spent).
 */
export function takeBackPurchasedCredits(db: DbOrTx, input: PurchasedCreditsInput) {
  return movePurchased(db, input, { mode: 'takeBack', kind: 'refund', action: 'credits.refunded' });
}

function movePurchased(
  db: DbOrTx,
  input: PurchasedCreditsInput,
  how: { mode: 'add' | 'takeBack'; kind: 'purchase' | 'refund'; action: string },
) {
  return moveCredits(db, {
    userId: input.userId,
    pot: 'purchased',
    mode: how.mode,
    amount: input.amount,
    kind: how.kind,
    idempotencyKey: input.idempotencyKey,
    reference: input.reason,
    actorUserId: input.actorUserId,
    audit: {
      action: how.action,
      tenantId: input.tenantId ?? null,
      actorLabel: input.actorLabel ?? null,
      data: { amount: input.amount, reason: input.reason },
    },
    now: input.now,
  });
}
