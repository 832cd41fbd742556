// The SQLite adapter of the payments store: today's synchronous functions behind the port.
import type { Db } from '@tessera/db';
import { refillRuns } from '@tessera/db';
import { desc } from 'drizzle-orm';
import { generateCodes } from '../../domain/codes/generate-codes.ts';
import { listCodeBatches } from '../../domain/codes/list-code-batches.ts';
import { redeemCode } from '../../domain/codes/redeem-code.ts';
import { listLedger } from '../../domain/credits/list-ledger.ts';
import { previewRefill } from '../../domain/credits/preview-refill.ts';
import { getRevenue } from '../../domain/payments/get-revenue.ts';
import { listActiveSubscriptions } from '../../domain/payments/list-active-subscriptions.ts';
import { listCreditPacks } from '../../domain/payments/list-credit-packs.ts';
import { listStripeEvents } from '../../domain/payments/list-stripe-events.ts';
import { createCreditPack, updateCreditPack } from '../../domain/payments/save-credit-pack.ts';
import { linkPlanPrice } from '../../domain/plans/link-plan-price.ts';
import type { CreditBalance, PaymentsStore } from '../payments-store.ts';

export function createSqlitePaymentsStore(db: Db): PaymentsStore {
  return {
    async listCreditPacks(options) {
      return listCreditPacks(db, options);
    },
    async createCreditPack(input) {
      return createCreditPack(db, input);
    },
    async updateCreditPack(input) {
      return updateCreditPack(db, input);
    },
    async linkPlanPrice(input) {
      return linkPlanPrice(db, input);
    },
    async listStripeEvents(input) {
      return listStripeEvents(db, input);
    },
    async getRevenue(input) {
      return getRevenue(db, input);
    },
    async listActiveSubscriptions(input) {
      return listActiveSubscriptions(db, input);
    },
    async listLedger(input) {
      return listLedger(db, input);
    },
    async listCreditBalances(input) {
      return db.$client
        .prepare<[number], CreditBalance>(
          'select u.email, a.balance, a.reserved, a.purchased from credit_accounts a join users u on u.id = a.user_id order by u.email limit ?',
        )
        .all(input.limit);
    },
    async previewRefill(input) {
      return previewRefill(db, input);
    },
    async listRefillRuns(input) {
      return db
        .select()
        .from(refillRuns)
        .orderBy(desc(refillRuns.id))
        .limit(input?.limit ?? 50)
        .all();
    },
    async generateCodes(input) {
      return generateCodes(db, input);
    },
    async redeemCode(input) {
      return redeemCode(db, input);
    },
    async listCodeBatches(options) {
      return listCodeBatches(db, options);
    },
  };
}
