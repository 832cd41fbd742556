// The storage port of one area (docs/decisions/028, 034): Payments, Stripe events, invoices, packs, redemption codes, credit views.
// One async method per whole transaction or read; rows and results are plain values of the
// domain's types, the same on every engine. Credit moves that stand alone go through
// `MoneyStore.moveCredits`; a method here that grants credits does so inside its own transaction
// (a redeemed code's claim and its credits commit together or not at all).
import type {
  CreditPack,
  LedgerEntry as LedgerRow,
  Plan,
  RefillRun,
  StripeEvent,
} from '@tessera/db';
import type { BillingStorage } from '../domain/billing/billing-storage.ts';
import type { GenerateCodesInput, GeneratedCodes } from '../domain/codes/generate-codes.ts';
import type { RedeemCodeInput, RedeemCodeResult } from '../domain/codes/redeem-code.ts';
import type { RefillPreview, RefillPreviewInput } from '../domain/credits/preview-refill.ts';
import type { Revenue, RevenueInput } from '../domain/payments/get-revenue.ts';
import type {
  HandleOptions,
  HandleResult,
  StripeEventInput,
} from '../domain/payments/handle-stripe-event.ts';
import type { ActiveSubscriptions } from '../domain/payments/list-active-subscriptions.ts';
import type { MySubscription } from '../domain/payments/list-my-subscriptions.ts';
import type { PackFieldsInput } from '../domain/payments/pack-input.ts';

export type {
  GenerateCodesInput,
  GeneratedCodes,
  RedeemCodeInput,
  RedeemCodeResult,
  RefillPreview,
  Revenue,
};

/** Who changes a pack (an admin, or the CLI's `cli:<os user>`), and when. */
export interface PackActor {
  actorUserId: string | null;
  actorLabel?: string | null;
  now: Date;
}

export type LedgerEntry = Pick<
  LedgerRow,
  'id' | 'delta' | 'balanceAfter' | 'kind' | 'pot' | 'reference' | 'createdAt'
>;

export interface CreditBalance {
  email: string;
  balance: number;
  reserved: number;
  purchased: number;
}

export interface CodeBatchSummary {
  id: string;
  planKey: string | null;
  days: number | null;
  credits: number | null;
  count: number;
  redeemed: number;
  note: string | null;
  expiresAt: Date | null;
  createdByEmail: string | null;
  createdByLabel: string | null;
  createdAt: Date;
}

export interface PaymentsStore extends BillingStorage {
  // Checkout, the portal and invoices (decision 016): BillingStorage's reads and the customer.
  // Credit packs (decision 015): the platform's, sold through Checkout.
  /** Smallest first; inactive ones only when asked (the admin console, the CLI). */
  listCreditPacks(options?: { includeInactive?: boolean }): Promise<CreditPack[]>;
  /** Validated, the Stripe price free, audited; CONFLICT when the price sells something else. */
  createCreditPack(input: { fields: PackFieldsInput } & PackActor): Promise<CreditPack>;
  /** Only the fields sent change; NOT_FOUND, CONFLICT as above; audited "from → to". */
  updateCreditPack(
    input: { packId: string; fields: Partial<PackFieldsInput> } & PackActor,
  ): Promise<CreditPack>;

  /**
   * Links a plan (by key) to the Stripe price Checkout sells it at, or unlinks it (null): audited
   * with the old value; NOT_FOUND, or CONFLICT when the price sells something else.
   */
  linkPlanPrice(input: { planKey: string; priceId: string | null } & PackActor): Promise<Plan>;

  // The Stripe event log (decision 018).
  /** Whether this event id was recorded (a redelivery: Stripe need not be asked about it). */
  isKnownStripeEvent(id: string): Promise<boolean>;
  /**
   * One verified event in one transaction with its record: the `stripe_events` row and every
   * effect commit together or not at all; a redelivery finds the row and changes nothing; a
   * thrown error leaves nothing written (the route answers 500 and Stripe retries).
   */
  handleStripeEvent(event: StripeEventInput, options: HandleOptions): Promise<HandleResult>;
  /** Newest first, keyset-paged by (received_at, id); `before` is the previous page's last id. */
  listStripeEvents(input?: {
    before?: string;
    limit?: number;
  }): Promise<{ events: StripeEvent[]; nextBefore: string | null }>;

  // Money views (decision 019) and credit views.
  /** Net revenue per bucket and currency, and per product, in the platform's time zone. */
  getRevenue(input: RevenueInput): Promise<Revenue>;
  /** Live Stripe subscriptions per plan; `tenantId` null = every tenant. */
  listActiveSubscriptions(input: { tenantId: string | null }): Promise<ActiveSubscriptions>;
  /**
   * A member's own Stripe subscriptions (live, or ended in the last two weeks), latest change
   * first, at most 20, each with the notice to show (membership.subscriptions).
   */
  listMySubscriptions(input: { userId: string; now: Date }): Promise<MySubscription[]>;
  /** A user's ledger, newest first, keyset-paged by id. */
  listLedger(input: {
    userId: string;
    beforeId?: number;
    limit?: number;
  }): Promise<{ entries: LedgerEntry[]; nextBeforeId: number | null }>;
  /** Every account's balance, pots and reservations, by email (`credits:list`). */
  listCreditBalances(input: { limit: number }): Promise<CreditBalance[]>;
  /** What a refill policy would give a mark's current holders (nothing written). */
  previewRefill(input: RefillPreviewInput): Promise<RefillPreview>;
  /** The latest refill runs, newest first. */
  listRefillRuns(input?: { limit?: number }): Promise<RefillRun[]>;

  // Redemption codes (decision 017).
  /** A batch and its codes (stored hashed) with the audit row, in one transaction. */
  generateCodes(input: GenerateCodesInput): Promise<GeneratedCodes>;
  /**
   * Redeems a code once (one guarded claim): its grant (a plan's mark, or purchased credits), the
   * audit row and the claim commit together; a refusal leaves the code unused. Guessing buckets
   * are taken first in their own transaction when `throttle` is set.
   */
  redeemCode(input: RedeemCodeInput): Promise<RedeemCodeResult>;
  /** Every batch, newest first, with how many of its codes are redeemed. */
  listCodeBatches(options?: { limit?: number }): Promise<CodeBatchSummary[]>;
}
