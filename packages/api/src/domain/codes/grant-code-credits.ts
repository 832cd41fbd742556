import type { Db } from '@tessera/db';
import { adjustCredits } from '../credits/adjust-credits.ts';

/**
 * The credits a redeemed code grants, once per code (`idempotencyKey` = `code:<codeId>`).
 * Call it inside the redemption's transaction.
 *
 * TODO(issue 12): the purchased-credits pot is not in this branch yet, so this is an admin-style
 * adjustment of the one balance; swap the body for `grantPurchasedCredits` when it lands.
 */
export function grantCodeCredits(
  db: Db,
  input: {
    userId: string;
    amount: number;
    idempotencyKey: string;
    reason: string;
    actorUserId: string | null;
    actorLabel?: string | null;
    now: Date;
  },
) {
  return adjustCredits(db, { ...input, mode: 'add' });
}
