// Settlement: charge what a request really used, clamped to its reservation, release the rest —
// exactly once per request id. Ledger row, balance, reservation and usage counters change in one
// synchronous transaction; a second settlement of the same id changes nothing.
import type { Db } from '@tessera/db';
import { DomainError } from '../../errors.ts';
import { periodStartMs } from './periods.ts';
import { costOf, isValidTokenCount } from './pricing.ts';
import { hotStatements, hotTransaction } from './statements.ts';

export interface SettlementInput {
  requestId: string;
  modelId: string;
  inputTokens: number;
  outputTokens: number;
  now: Date;
  timeZone: string;
}

export type Settlement =
  | { settled: true; userId: string; charged: number; released: number; balance: number }
  | { settled: false; reason: 'already_settled' | 'unknown_request' };

/** Negative, fractional or absurd usage is refused outright: it can never raise a balance. */
export function assertValidUsage(input: Pick<SettlementInput, 'inputTokens' | 'outputTokens'>) {
  if (!isValidTokenCount(input.inputTokens) || !isValidTokenCount(input.outputTokens)) {
    throw new DomainError('VALIDATION', 'Usage must be whole token counts within limits.', {
      fieldErrors: { usage: ['INVALID'] },
    });
  }
}

export function settleRequest(db: Db, input: SettlementInput): Settlement {
  assertValidUsage(input);
  const s = hotStatements(db.$client);
  // A model switched off mid-request still costs its worst case: the reservation caps the charge.
  const nothingUsed = input.inputTokens === 0 && input.outputTokens === 0;
  const price = nothingUsed ? undefined : s.getModelPrice(input.modelId);
  const cost = nothingUsed
    ? 0
    : price
      ? costOf(
          {
            inputPerMillion: price.input_price_per_million,
            outputPerMillion: price.output_price_per_million,
          },
          input.inputTokens,
          input.outputTokens,
        )
      : Number.MAX_SAFE_INTEGER;
  return settleInTransaction(db.$client, { input, cost });
}

/** Close the reservation, charge, write the ledger row and the usage — or, if closed, nothing. */
const settleInTransaction = hotTransaction(
  (s, { input, cost }: { input: SettlementInput; cost: number }): Settlement => {
    const now = input.now.getTime();
    const closed = s.closeReservation(input.requestId, cost, now);
    if (!closed) {
      return {
        settled: false,
        reason: s.getReservation(input.requestId) ? 'already_settled' : 'unknown_request',
      };
    }
    const user = closed.user_id;
    // Read under the write lock this transaction holds: only to say which pot paid, in the ledger.
    const purchasedBefore = closed.charged > 0 ? s.getPurchased(user) : 0;
    const account = s.settleAccount(user, closed.charged, closed.amount, now);
    if (!account) throw new Error(`credit account missing for ${user}`);
    const fromPurchased = closed.charged > 0 ? purchasedBefore - account.purchased : 0;
    const fromAllowance = closed.charged - fromPurchased;
    const key = `charge:${input.requestId}`;
    if (fromAllowance > 0) {
      const after = account.balance + fromPurchased;
      s.insertCharge(user, -fromAllowance, after, 'allowance', key, input.modelId, now);
    }
    if (fromPurchased > 0) {
      const purchasedKey = `${key}:purchased`;
      s.insertCharge(
        user,
        -fromPurchased,
        account.balance,
        'purchased',
        purchasedKey,
        input.modelId,
        now,
      );
    }
    s.addUsage(
      user,
      periodStartMs(now, 'day', input.timeZone),
      periodStartMs(now, 'month', input.timeZone),
      input.inputTokens,
      input.outputTokens,
      closed.charged,
    );
    return {
      settled: true,
      userId: user,
      charged: closed.charged,
      released: closed.amount - closed.charged,
      balance: account.balance,
    };
  },
);

/** Ends a reservation without charging (nothing was delivered). */
export function releaseRequest(
  db: Db,
  input: Omit<SettlementInput, 'inputTokens' | 'outputTokens'>,
): Settlement {
  return settleRequest(db, { ...input, inputTokens: 0, outputTokens: 0 });
}
