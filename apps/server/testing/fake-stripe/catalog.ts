// The fake's state in memory and the objects a caller creates directly: customers, prices,
// Checkout and portal sessions. What happens to them later (paying, renewing, cancelling,
// refunding) is in store.ts; every change Stripe would announce goes through `emit`.
import { type FormObject, metadataOf, obj, str } from './form.ts';
import {
  type Charge,
  type CheckoutSession,
  type Customer,
  type Interval,
  type Invoice,
  invalid,
  missing,
  newId,
  type PaymentIntent,
  type PortalSession,
  type Price,
  type Refund,
  type SessionExtras,
  StripeApiError,
  type Subscription,
  snapshot,
} from './objects.ts';

export type Emit = (type: string, object: unknown, previous?: Record<string, unknown>) => void;

const INTERVALS = ['day', 'week', 'month', 'year'] as const;

export function amount(value: string | undefined, param: string): number {
  if (value === undefined || !/^\d+$/.test(value))
    throw invalid(param, `Invalid integer: ${value}`);
  return Number(value);
}

export class FakeStripeCatalog {
  readonly customers = new Map<string, Customer>();
  readonly prices = new Map<string, Price>();
  readonly checkoutSessions = new Map<string, CheckoutSession & { extras: SessionExtras }>();
  readonly subscriptions = new Map<string, Subscription>();
  readonly invoices = new Map<string, Invoice>();
  readonly paymentIntents = new Map<string, PaymentIntent>();
  readonly charges = new Map<string, Charge>();
  readonly refunds = new Map<string, Refund>();
  readonly portalSessions = new Map<string, PortalSession>();
  protected invoiceNumber = 0;

  constructor(
    protected readonly base: () => string,
    protected readonly nowSeconds: () => number,
    protected readonly emit: Emit,
  ) {}

  private get<T>(map: Map<string, T>, kind: string, id: string, param = 'id'): T {
    const found = map.get(id);
    if (!found) throw missing(kind, id, param);
    return found;
  }

  customer = (id: string, param?: string) => this.get(this.customers, 'customer', id, param);
  price = (id: string, param?: string) => this.get(this.prices, 'price', id, param);
  subscription = (id: string) => this.get(this.subscriptions, 'subscription', id);
  charge = (id: string, param?: string) => this.get(this.charges, 'charge', id, param);
  paymentIntent = (id: string, param?: string) =>
    this.get(this.paymentIntents, 'payment_intent', id, param);
  session(id: string) {
    return this.get(this.checkoutSessions, 'checkout.session', id);
  }

  createCustomer(form: FormObject): Customer {
    const customer: Customer = {
      id: newId('cus'),
      object: 'customer',
      email: str(form, 'email') ?? null,
      name: str(form, 'name') ?? null,
      metadata: metadataOf(obj(form, 'metadata')),
      created: this.nowSeconds(),
      livemode: false,
    };
    this.customers.set(customer.id, customer);
    this.emit('customer.created', customer);
    return customer;
  }

  createPrice(form: FormObject): Price {
    const currency = str(form, 'currency');
    if (!currency) throw invalid('currency', 'Missing required param: currency.');
    const recurring = obj(form, 'recurring');
    const interval = str(recurring, 'interval');
    if (recurring && !INTERVALS.includes(interval as Interval)) {
      throw invalid('recurring[interval]', `Invalid recurring[interval]: ${interval}`);
    }
    const price: Price = {
      id: newId('price'),
      object: 'price',
      active: true,
      currency: currency.toLowerCase(),
      unit_amount: amount(str(form, 'unit_amount'), 'unit_amount'),
      product: str(form, 'product') ?? newId('prod'),
      recurring: recurring
        ? {
            interval: interval as Interval,
            interval_count: Number(str(recurring, 'interval_count') ?? 1),
          }
        : null,
      type: recurring ? 'recurring' : 'one_time',
      metadata: metadataOf(obj(form, 'metadata')),
      created: this.nowSeconds(),
      livemode: false,
    };
    this.prices.set(price.id, price);
    return price;
  }

  createCheckoutSession(form: FormObject) {
    const mode = str(form, 'mode');
    if (mode !== 'payment' && mode !== 'subscription') {
      throw invalid('mode', `Invalid mode: must be one of payment, setup or subscription`);
    }
    const successUrl = str(form, 'success_url');
    if (!successUrl) throw invalid('success_url', 'Missing required param: success_url.');
    const customer = str(form, 'customer');
    if (customer) this.customer(customer, 'customer');
    const rawItems = form.line_items;
    if (!Array.isArray(rawItems) || rawItems.length === 0) {
      throw invalid('line_items', 'Missing required param: line_items.');
    }
    const lineItems = rawItems.map((item, i) => {
      const fields = typeof item === 'object' && !Array.isArray(item) ? item : undefined;
      const price = this.price(str(fields, 'price') ?? '', `line_items[${i}][price]`);
      const wantsRecurring = mode === 'subscription';
      if (wantsRecurring !== (price.recurring !== null)) {
        throw new StripeApiError(
          400,
          wantsRecurring
            ? 'You must provide at least one recurring price in `subscription` mode when using prices.'
            : 'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
          `line_items[${i}][price]`,
        );
      }
      return { price, quantity: Number(str(fields, 'quantity') ?? 1) };
    });
    const subscriptionData = obj(form, 'subscription_data');
    const trialDays = str(subscriptionData, 'trial_period_days');
    if (mode === 'payment' && subscriptionData) {
      throw invalid(
        'subscription_data',
        'subscription_data can only be used in subscription mode.',
      );
    }
    const paymentIntentData = obj(form, 'payment_intent_data');
    if (mode === 'subscription' && paymentIntentData) {
      throw invalid('payment_intent_data', 'payment_intent_data can only be used in payment mode.');
    }
    const total = lineItems.reduce((sum, l) => sum + l.price.unit_amount * l.quantity, 0);
    const id = newId('cs_test');
    const session: CheckoutSession & { extras: SessionExtras } = {
      id,
      object: 'checkout.session',
      mode,
      status: 'open',
      payment_status: 'unpaid',
      customer: customer ?? null,
      customer_email: str(form, 'customer_email') ?? null,
      client_reference_id: str(form, 'client_reference_id') ?? null,
      metadata: metadataOf(obj(form, 'metadata')),
      success_url: successUrl,
      cancel_url: str(form, 'cancel_url') ?? null,
      url: `${this.base()}/checkout/${id}`,
      amount_subtotal: total,
      amount_total: total,
      currency: lineItems[0]!.price.currency,
      subscription: null,
      payment_intent: null,
      invoice: null,
      created: this.nowSeconds(),
      expires_at: this.nowSeconds() + 24 * 3600,
      livemode: false,
      extras: {
        lineItems,
        subscriptionData: {
          metadata: metadataOf(obj(subscriptionData, 'metadata')),
          trialPeriodDays: trialDays === undefined ? null : amount(trialDays, 'trial_period_days'),
        },
        paymentIntentData: { metadata: metadataOf(obj(paymentIntentData, 'metadata')) },
      },
    };
    this.checkoutSessions.set(id, session);
    return session;
  }

  /** Pays an open session, as the hosted page's Pay button does, and emits what Stripe would. */

  createPortalSession(form: FormObject): PortalSession {
    const customer = this.customer(str(form, 'customer') ?? '', 'customer').id;
    const id = newId('bps');
    const session: PortalSession = {
      id,
      object: 'billing_portal.session',
      customer,
      return_url: str(form, 'return_url') ?? null,
      url: `${this.base()}/portal/${id}`,
      created: this.nowSeconds(),
      livemode: false,
    };
    this.portalSessions.set(id, session);
    return session;
  }

  /** A customer's invoices, newest first (Stripe's order). */
  listInvoices(customer: string | undefined) {
    return [...this.invoices.values()]
      .filter((i) => !customer || i.customer === customer)
      .reverse();
  }
}

/** The session as the API shows it (without what the fake keeps on the side). */
export function publicSession(session: CheckoutSession & { extras?: SessionExtras }) {
  const { extras: _extras, ...rest } = session;
  return snapshot(rest);
}
