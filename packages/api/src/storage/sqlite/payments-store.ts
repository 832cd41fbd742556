// The SQLite adapter of the payments store: today's synchronous functions behind the port.
import type { Db } from '@tessera/db';
import { billingCustomers, refillRuns } from '@tessera/db';
import { desc } from 'drizzle-orm';
import { requireVerifiedEmail } from '../../auth/email-verification.ts';
import { findBillingCustomer } from '../../domain/billing/find-billing-customer.ts';
import { packCheckoutTerms } from '../../domain/billing/pack-checkout-terms.ts';
import { planCheckoutTerms } from '../../domain/billing/plan-checkout-terms.ts';
import { generateCodes } from '../../domain/codes/generate-codes.ts';
import { listCodeBatches } from '../../domain/codes/list-code-batches.ts';
import { redeemCode } from '../../domain/codes/redeem-code.ts';
import { listLedger } from '../../domain/credits/list-ledger.ts';
import { previewRefill } from '../../domain/credits/preview-refill.ts';
import { getRevenue } from '../../domain/payments/get-revenue.ts';
import {
  handleStripeEvent,
  isKnownStripeEvent,
} from '../../domain/payments/handle-stripe-event.ts';
import { listActiveSubscriptions } from '../../domain/payments/list-active-subscriptions.ts';
import { listCreditPacks } from '../../domain/payments/list-credit-packs.ts';
import { listMySubscriptions } from '../../domain/payments/list-my-subscriptions.ts';
import { listStripeEvents } from '../../domain/payments/list-stripe-events.ts';
import { createCreditPack, updateCreditPack } from '../../domain/payments/save-credit-pack.ts';
import { linkPlanPrice } from '../../domain/plans/link-plan-price.ts';
import type { CreditBalance, PaymentsStore } from '../payments-store.ts';

export function createSqlitePaymentsStore(db: Db): PaymentsStore {
  return {
    async prepareCheckout(input) {
      // A purchase is tied to the address Stripe mails receipts to (decision 022): checked first.
      requireVerifiedEmail(db, input.userId);
      const terms =
        'planId' in input.item
          ? planCheckoutTerms(db, {
              userId: input.userId,
              planId: input.item.planId,
              now: input.now,
            })
          : packCheckoutTerms(db, { userId: input.userId, packId: input.item.packId });
      return { terms, customerId: findBillingCustomer(db, input.userId) };
    },
    async findBillingCustomer(userId) {
      return findBillingCustomer(db, userId);
    },
    async saveBillingCustomer(input) {
      db.insert(billingCustomers)
        .values({ userId: input.userId, stripeCustomerId: input.customerId, createdAt: input.now })
        .onConflictDoNothing()
        .run();
      return findBillingCustomer(db, input.userId) ?? input.customerId;
    },
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
    async isKnownStripeEvent(id) {
      return isKnownStripeEvent(db, id);
    },
    async handleStripeEvent(event, options) {
      return handleStripeEvent(db, event, options);
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
    async listMySubscriptions(input) {
      return listMySubscriptions(db, input);
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
