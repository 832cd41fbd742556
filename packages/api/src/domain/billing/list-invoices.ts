import type Stripe from 'stripe';
import type { BillingStorage } from './billing-storage.ts';
import { callStripe } from './call-stripe.ts';

export interface InvoiceSummary {
  id: string;
  number: string | null;
  createdAt: Date;
  /** Minor units of `currency` (what was paid, or is due while open). */
  amountMinor: number;
  currency: string;
  status: string | null;
  hostedInvoiceUrl: string | null;
}

/** The user's latest invoices, newest first, read from Stripe; none before their first checkout. */
export async function listInvoices(
  store: Pick<BillingStorage, 'findBillingCustomer'>,
  stripe: Stripe,
  input: { userId: string; limit: number },
): Promise<InvoiceSummary[]> {
  const customer = await store.findBillingCustomer(input.userId);
  if (!customer) return [];
  const page = await callStripe('list your invoices', () =>
    stripe.invoices.list({ customer, limit: input.limit }),
  );
  return page.data.map((invoice) => ({
    id: invoice.id ?? '',
    number: invoice.number,
    createdAt: new Date(invoice.created * 1000),
    amountMinor: invoice.status === 'paid' ? invoice.amount_paid : invoice.amount_due,
    currency: invoice.currency,
    status: invoice.status,
    hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
  }));
}
