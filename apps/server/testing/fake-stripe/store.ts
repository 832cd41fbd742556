// The fake's state and the operations on it, in memory. Each operation that Stripe would announce
// with a webhook calls `emit`, which the server turns into a signed delivery.
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
  periodEnd,
  type Refund,
  type SessionExtras,
  StripeApiError,
  type Subscription,
  snapshot,
} from './objects.ts';

export type Emit = (type: string, object: unknown, previous?: Record<string, unknown>) => void;

const INTERVALS = ['day', 'week', 'month', 'year'] as const;

function amount(value: string | undefined, param: string): number {
  if (value === undefined || !/^\d+$/.test(value))
    throw invalid(param, `Invalid integer: ${value}`);
  return Number(value);
}

export class FakeStripeStore {
  readonly customers = new Map<string, Customer>();
  readonly prices = new Map<string, Price>();
  readonly checkoutSessions = new Map<string, CheckoutSession & { extras: SessionExtras }>();
  readonly subscriptions = new Map<string, Subscription>();
  readonly invoices = new Map<string, Invoice>();
  readonly paymentIntents = new Map<string, PaymentIntent>();
  readonly charges = new Map<string, Charge>();
  readonly refunds = new Map<string, Refund>();
  readonly portalSessions = new Map<string, PortalSession>();
  private invoiceNumber = 0;

  constructor(
    private readonly base: () => string,
    private readonly nowSeconds: () => number,
    private readonly emit: Emit,
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
  completeCheckout(id: string) {
    const session = this.session(id);
    if (session.status !== 'open') {
      throw new StripeApiError(400, `This Checkout Session is ${session.status}.`, 'id');
    }
    const customer = session.customer ?? this.createCustomer({}).id;
    session.customer = customer;
    session.status = 'complete';
    session.payment_status = 'paid';
    const now = this.nowSeconds();
    if (session.mode === 'payment') {
      const pi = this.pay(customer, session.amount_total, session.currency, {
        ...session.extras.paymentIntentData.metadata,
      });
      session.payment_intent = pi.id;
      this.emit('checkout.session.completed', publicSession(session));
      return session;
    }
    const line = session.extras.lineItems[0]!;
    const trialDays = session.extras.subscriptionData.trialPeriodDays;
    const recurring = line.price.recurring!;
    const end = trialDays
      ? now + trialDays * 86_400
      : periodEnd(now, recurring.interval, recurring.interval_count);
    const subId = newId('sub');
    const subscription: Subscription = {
      id: subId,
      object: 'subscription',
      customer,
      status: trialDays ? 'trialing' : 'active',
      metadata: { ...session.extras.subscriptionData.metadata },
      items: {
        object: 'list',
        data: [
          {
            id: newId('si'),
            object: 'subscription_item',
            price: line.price,
            quantity: line.quantity,
            current_period_start: now,
            current_period_end: end,
          },
        ],
        has_more: false,
        url: `/v1/subscription_items?subscription=${subId}`,
      },
      current_period_start: now,
      current_period_end: end,
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      ended_at: null,
      trial_start: trialDays ? now : null,
      trial_end: trialDays ? end : null,
      latest_invoice: null,
      start_date: now,
      created: now,
      livemode: false,
    };
    const invoice = this.invoice(subscription, trialDays ? 0 : session.amount_total, now, end);
    subscription.latest_invoice = invoice.id;
    this.subscriptions.set(subId, subscription);
    session.subscription = subId;
    session.invoice = invoice.id;
    this.emit('checkout.session.completed', publicSession(session));
    this.emit('customer.subscription.created', subscription);
    this.emit('invoice.paid', invoice);
    return session;
  }

  private pay(
    customer: string | null,
    total: number,
    currency: string,
    meta: Record<string, string>,
  ) {
    const now = this.nowSeconds();
    const pi: PaymentIntent = {
      id: newId('pi'),
      object: 'payment_intent',
      amount: total,
      amount_received: total,
      currency,
      customer,
      status: 'succeeded',
      metadata: meta,
      latest_charge: newId('ch'),
      created: now,
      livemode: false,
    };
    this.charges.set(pi.latest_charge, {
      id: pi.latest_charge,
      object: 'charge',
      amount: total,
      amount_captured: total,
      amount_refunded: 0,
      refunded: false,
      paid: true,
      status: 'succeeded',
      currency,
      customer,
      payment_intent: pi.id,
      metadata: { ...meta },
      created: now,
      livemode: false,
    });
    this.paymentIntents.set(pi.id, pi);
    return pi;
  }

  private invoice(sub: Subscription, total: number, start: number, end: number): Invoice {
    const id = newId('in');
    const invoice: Invoice = {
      id,
      object: 'invoice',
      number: `FAKE-${String(++this.invoiceNumber).padStart(4, '0')}`,
      customer: sub.customer,
      subscription: sub.id,
      parent: { subscription_details: { subscription: sub.id, metadata: { ...sub.metadata } } },
      status: 'paid',
      billing_reason: sub.latest_invoice ? 'subscription_cycle' : 'subscription_create',
      currency: sub.items.data[0]!.price.currency,
      amount_due: total,
      amount_paid: total,
      total,
      hosted_invoice_url: `${this.base()}/invoice/${id}`,
      period_start: start,
      period_end: end,
      lines: { object: 'list', data: [], has_more: false, url: `/v1/invoices/${id}/lines` },
      status_transitions: { paid_at: this.nowSeconds() },
      created: this.nowSeconds(),
      livemode: false,
    };
    if (total > 0) this.pay(sub.customer, total, invoice.currency, { ...sub.metadata });
    this.invoices.set(id, invoice);
    return invoice;
  }

  /** Sets fields on a subscription and emits `customer.subscription.updated` with what changed. */
  updateSubscription(id: string, patch: Partial<Subscription>) {
    const subscription = this.subscription(id);
    if (subscription.status === 'canceled' && Object.keys(patch).some((k) => k !== 'metadata')) {
      throw new StripeApiError(400, 'A canceled subscription can only update its metadata.', 'id');
    }
    const previous: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      previous[key] = snapshot(subscription[key as keyof Subscription]);
      (subscription as unknown as Record<string, unknown>)[key] = value;
    }
    if ('cancel_at_period_end' in patch) {
      subscription.cancel_at = subscription.cancel_at_period_end
        ? subscription.current_period_end
        : null;
    }
    this.emit('customer.subscription.updated', subscription, previous);
    return subscription;
  }

  updateSubscriptionFromForm(id: string, form: FormObject) {
    const patch: Partial<Subscription> = {};
    const cancel = str(form, 'cancel_at_period_end');
    if (cancel !== undefined) patch.cancel_at_period_end = cancel === 'true';
    const meta = obj(form, 'metadata');
    if (meta) {
      const merged = { ...this.subscription(id).metadata, ...metadataOf(meta) };
      for (const [k, v] of Object.entries(merged)) if (v === '') delete merged[k];
      patch.metadata = merged;
    }
    return this.updateSubscription(id, patch);
  }

  /** Ends a subscription now (`DELETE /v1/subscriptions/:id`), emitting `…deleted`. */
  cancelSubscription(id: string) {
    const subscription = this.subscription(id);
    const now = this.nowSeconds();
    subscription.status = 'canceled';
    subscription.canceled_at = now;
    subscription.ended_at = now;
    this.emit('customer.subscription.deleted', subscription);
    return subscription;
  }

  /** Refunds a charge (whole or `amount`), emitting `charge.refunded` with the updated charge. */
  refund(form: FormObject): Refund {
    const piId = str(form, 'payment_intent');
    const chargeId =
      str(form, 'charge') ??
      (piId ? this.paymentIntent(piId, 'payment_intent').latest_charge : undefined);
    if (!chargeId) throw invalid('charge', 'One of `charge` or `payment_intent` is required.');
    const charge = this.charge(chargeId, 'charge');
    const left = charge.amount - charge.amount_refunded;
    const wanted = str(form, 'amount') === undefined ? left : amount(str(form, 'amount'), 'amount');
    if (wanted <= 0 || wanted > left) {
      throw new StripeApiError(
        400,
        `Refund amount (${wanted}) is greater than unrefunded amount on charge (${left})`,
        'amount',
        'amount_too_large',
      );
    }
    const refund: Refund = {
      id: newId('re'),
      object: 'refund',
      amount: wanted,
      charge: charge.id,
      payment_intent: charge.payment_intent,
      currency: charge.currency,
      status: 'succeeded',
      metadata: metadataOf(obj(form, 'metadata')),
      created: this.nowSeconds(),
    };
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded += wanted;
    charge.refunded = charge.amount_refunded === charge.amount;
    this.refunds.set(refund.id, refund);
    this.emit('charge.refunded', charge, previous);
    return refund;
  }

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
