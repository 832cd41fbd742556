// What happens to the fake's objects after they are created: a Checkout paid (PaymentIntent and
// charge, or subscription and invoice), subscriptions updated or cancelled, charges refunded.
// Each emits the events Stripe would; the server delivers them as signed webhooks.

import { amount, FakeStripeCatalog, publicSession } from './catalog.ts';
import { type FormObject, metadataOf, obj, str } from './form.ts';
import {
  type Invoice,
  invalid,
  newId,
  type PaymentIntent,
  periodEnd,
  type Refund,
  StripeApiError,
  type Subscription,
  snapshot,
} from './objects.ts';

export { type Emit, publicSession } from './catalog.ts';

export class FakeStripeStore extends FakeStripeCatalog {
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
      billing_cycle_anchor: trialDays ? end : now,
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

  private invoice(
    sub: Subscription,
    total: number,
    start: number,
    end: number,
    paid = true,
  ): Invoice {
    const id = newId('in');
    const invoice: Invoice = {
      id,
      object: 'invoice',
      number: `FAKE-${String(++this.invoiceNumber).padStart(4, '0')}`,
      customer: sub.customer,
      subscription: sub.id,
      parent: { subscription_details: { subscription: sub.id, metadata: { ...sub.metadata } } },
      status: paid ? 'paid' : 'open',
      billing_reason: sub.latest_invoice ? 'subscription_cycle' : 'subscription_create',
      currency: sub.items.data[0]!.price.currency,
      amount_due: total,
      amount_paid: paid ? total : 0,
      total,
      hosted_invoice_url: `${this.base()}/invoice/${id}`,
      period_start: start,
      period_end: end,
      lines: { object: 'list', data: [], has_more: false, url: `/v1/invoices/${id}/lines` },
      status_transitions: { paid_at: paid ? this.nowSeconds() : null },
      created: this.nowSeconds(),
      livemode: false,
    };
    if (paid && total > 0) this.pay(sub.customer, total, invoice.currency, { ...sub.metadata });
    this.invoices.set(id, invoice);
    return invoice;
  }

  /**
   * The next billing cycle, as Stripe runs it at the period end: the period moves on and a paid
   * invoice follows (`customer.subscription.updated`, `invoice.paid`); with `fail`, the invoice
   * stays open, the subscription goes `past_due` and the period stays (`invoice.payment_failed`).
   */
  renewSubscription(id: string, options: { fail?: boolean } = {}) {
    const sub = this.subscription(id);
    if (sub.status === 'canceled') {
      throw new StripeApiError(400, 'A canceled subscription does not renew.', 'id');
    }
    const item = sub.items.data[0]!;
    const recurring = item.price.recurring!;
    const start = sub.current_period_end;
    const end = periodEnd(
      start,
      recurring.interval,
      recurring.interval_count,
      sub.billing_cycle_anchor,
    );
    const total = item.price.unit_amount * item.quantity;
    if (options.fail) {
      const invoice = this.invoice(sub, total, start, end, false);
      const previous = { status: sub.status, latest_invoice: sub.latest_invoice };
      sub.status = 'past_due';
      sub.latest_invoice = invoice.id;
      this.emit('customer.subscription.updated', sub, previous);
      this.emit('invoice.payment_failed', invoice);
      return sub;
    }
    const previous = {
      status: sub.status,
      current_period_start: sub.current_period_start,
      current_period_end: sub.current_period_end,
      latest_invoice: sub.latest_invoice,
    };
    const invoice = this.invoice(sub, total, start, end);
    sub.status = 'active';
    sub.current_period_start = item.current_period_start = start;
    sub.current_period_end = item.current_period_end = end;
    sub.latest_invoice = invoice.id;
    if (sub.cancel_at_period_end) sub.cancel_at = end;
    this.emit('customer.subscription.updated', sub, previous);
    this.emit('invoice.paid', invoice);
    return sub;
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
}
