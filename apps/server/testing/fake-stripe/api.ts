// The `/v1/*` endpoints the fake answers, mapped onto the store. Unknown paths are Stripe's 404
// (`Unrecognized request URL`), so a call the fake does not model fails loudly in a test.
import type { FormObject } from './form.ts';
import { list, StripeApiError } from './objects.ts';
import { type FakeStripeStore, publicSession } from './store.ts';

type Handler = (
  store: FakeStripeStore,
  id: string,
  form: FormObject,
  query: URLSearchParams,
) => unknown;

const routes: [method: string, pattern: RegExp, handler: Handler][] = [
  ['POST', /^\/v1\/customers$/, (s, _id, form) => s.createCustomer(form)],
  ['GET', /^\/v1\/customers\/([^/]+)$/, (s, id) => s.customer(id)],
  ['POST', /^\/v1\/prices$/, (s, _id, form) => s.createPrice(form)],
  ['GET', /^\/v1\/prices\/([^/]+)$/, (s, id) => s.price(id)],
  [
    'POST',
    /^\/v1\/checkout\/sessions$/,
    (s, _id, form) => publicSession(s.createCheckoutSession(form)),
  ],
  ['GET', /^\/v1\/checkout\/sessions\/([^/]+)$/, (s, id) => publicSession(s.session(id))],
  [
    'GET',
    /^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/,
    (s, id) =>
      list(
        s.session(id).extras.lineItems.map((l, i) => ({
          id: `li_${id.slice(-12)}${i}`,
          object: 'item',
          price: l.price,
          quantity: l.quantity,
          amount_total: l.price.unit_amount * l.quantity,
          currency: l.price.currency,
        })),
        `/v1/checkout/sessions/${id}/line_items`,
      ),
  ],
  ['POST', /^\/v1\/billing_portal\/sessions$/, (s, _id, form) => s.createPortalSession(form)],
  [
    'GET',
    /^\/v1\/subscriptions$/,
    (s, _id, _form, query) => {
      // Stripe's default hides canceled subscriptions; `status=all` shows every one.
      const status = query.get('status');
      const all = [...s.subscriptions.values()]
        .filter((sub) => !query.get('customer') || sub.customer === query.get('customer'))
        .filter((sub) =>
          status === 'all' ? true : status ? sub.status === status : sub.status !== 'canceled',
        )
        .reverse();
      return list(all, '/v1/subscriptions');
    },
  ],
  ['GET', /^\/v1\/subscriptions\/([^/]+)$/, (s, id) => s.subscription(id)],
  [
    'POST',
    /^\/v1\/subscriptions\/([^/]+)$/,
    (s, id, form) => s.updateSubscriptionFromForm(id, form),
  ],
  ['DELETE', /^\/v1\/subscriptions\/([^/]+)$/, (s, id) => s.cancelSubscription(id)],
  [
    'GET',
    /^\/v1\/invoices$/,
    (s, _id, _form, query) => {
      const limit = Math.min(Number(query.get('limit') ?? 10) || 10, 100);
      const all = s.listInvoices(query.get('customer') ?? undefined);
      return list(all.slice(0, limit), '/v1/invoices', all.length > limit);
    },
  ],
  [
    'GET',
    /^\/v1\/invoices\/([^/]+)$/,
    (s, id) => {
      const invoice = s.invoices.get(id);
      if (!invoice)
        throw new StripeApiError(404, `No such invoice: '${id}'`, 'id', 'resource_missing');
      return invoice;
    },
  ],
  ['GET', /^\/v1\/payment_intents\/([^/]+)$/, (s, id) => s.paymentIntent(id)],
  ['GET', /^\/v1\/charges\/([^/]+)$/, (s, id) => s.charge(id)],
  ['POST', /^\/v1\/refunds$/, (s, _id, form) => s.refund(form)],
];

export function handleApi(
  store: FakeStripeStore,
  method: string,
  pathname: string,
  form: FormObject,
  query: URLSearchParams,
): unknown {
  for (const [routeMethod, pattern, handler] of routes) {
    const match = pattern.exec(pathname);
    if (match && routeMethod === method) {
      return handler(store, decodeURIComponent(match[1] ?? ''), form, query);
    }
  }
  throw new StripeApiError(
    404,
    `Unrecognized request URL (${method}: ${pathname}). The fake Stripe does not model it.`,
  );
}
