// The fake's hosted pages: Checkout (a Pay button and a Cancel link) and the Customer Portal (each
// subscription with "Cancel at period end", and a link back). Plain HTML forms, no script, so the
// browser suite drives them like any page.
import type { FakeStripeStore } from './store.ts';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const money = (minor: number, currency: string) =>
  `${(minor / 100).toFixed(2)} ${currency.toUpperCase()}`;

function page(title: string, body: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main>${body}</main></body></html>`;
}

export function checkoutPage(store: FakeStripeStore, id: string): string {
  const session = store.session(id);
  const lines = session.extras.lineItems
    .map((l) => {
      const every = l.price.recurring ? ` / ${l.price.recurring.interval}` : '';
      return `<li>${escapeHtml(l.price.id)}: ${money(l.price.unit_amount, l.price.currency)}${every} × ${l.quantity}</li>`;
    })
    .join('');
  const trial = session.extras.subscriptionData.trialPeriodDays;
  const cancel = session.cancel_url
    ? `<a href="${escapeHtml(session.cancel_url)}" data-testid="fake-checkout-cancel">Cancel</a>`
    : '';
  if (session.status !== 'open') {
    return page(
      'Checkout',
      `<h1>Fake Stripe Checkout</h1><p>This session is ${session.status}.</p>`,
    );
  }
  return page(
    'Checkout',
    `<h1>Fake Stripe Checkout</h1>
<p data-testid="fake-checkout-mode">${session.mode}</p>
<ul>${lines}</ul>
${trial ? `<p data-testid="fake-checkout-trial">${trial}-day trial</p>` : ''}
<p>Total: ${money(session.amount_total, session.currency)}</p>
<form method="post" action="/checkout/${escapeHtml(id)}/pay">
  <button type="submit" data-testid="fake-checkout-pay">Pay</button>
</form>
${cancel}`,
  );
}

export function portalPage(store: FakeStripeStore, id: string): string {
  const session = store.portalSessions.get(id);
  if (!session) return page('Portal', '<p>No such portal session.</p>');
  const rows = [...store.subscriptions.values()]
    .filter((s) => s.customer === session.customer)
    .map((s) => {
      const price = s.items.data[0]!.price;
      const plan = s.metadata.plan ?? price.id;
      const ends = new Date(s.current_period_end * 1000).toISOString().slice(0, 10);
      const action =
        s.status === 'canceled' || s.cancel_at_period_end
          ? `<span data-testid="fake-portal-ending">Ends ${ends}</span>`
          : `<form method="post" action="/portal/${escapeHtml(id)}/cancel/${escapeHtml(s.id)}"><button type="submit" data-testid="fake-portal-cancel">Cancel at period end</button></form>`;
      return `<li data-testid="fake-portal-subscription">${escapeHtml(plan)} — ${s.status} — renews ${ends} ${action}</li>`;
    })
    .join('');
  const back = session.return_url
    ? `<a href="${escapeHtml(session.return_url)}" data-testid="fake-portal-return">Return</a>`
    : '';
  return page(
    'Customer portal',
    `<h1>Fake Stripe Customer Portal</h1><ul>${rows || '<li>No subscriptions.</li>'}</ul>${back}`,
  );
}

export function invoicePage(store: FakeStripeStore, id: string): string {
  const invoice = store.invoices.get(id);
  if (!invoice) return page('Invoice', '<p>No such invoice.</p>');
  return page(
    `Invoice ${invoice.number}`,
    `<h1>Invoice ${escapeHtml(invoice.number)}</h1><p>${money(invoice.amount_paid, invoice.currency)} — ${invoice.status}</p>`,
  );
}
