// Buying through Stripe in the browser, against the fake Stripe on loopback: a member starts Pro's
// trial through Checkout, pays on the fake's hosted page, comes back to the Plans page's notice
// and finds the invoice under Account → Billing; cancelling Checkout says so; the Customer Portal
// opens from Account, cancels at period end and returns. The webhook grants what was paid for:
// Pro appears on the Plans page, a cancellation at period end is announced there, and a pack's
// credits appear as purchased credits beside the plan allowance on the Usage page.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eServer } from './harness.ts';

const server = e2eServer('billing', { seedDemo: true }, { stripe: true });

function linkPrices() {
  const sqlite = server.app.database.sqlite;
  const monthly = server.stripe.createPrice({ unitAmount: 2000, interval: 'month' });
  const once = server.stripe.createPrice({ unitAmount: 300 });
  sqlite.prepare("update plans set stripe_price_id = ? where name = 'Pro monthly'").run(monthly.id);
  const now = Date.now();
  sqlite
    .prepare(
      `insert into credit_packs (id, name, credits, price_minor, currency, stripe_price_id, active,
         created_at, updated_at) values ('pack_e2e', 'Starter', 500, 300, 'usd', ?, 1, ?, ?)`,
    )
    .run(once.id, now, now);
}

const planCard = (page: Page, name: string) =>
  page.locator(`[data-testid="plan-card"][data-plan-name="${name}"]`);

describe('buying through Stripe Checkout', () => {
  it('starts a trial through Checkout, pays on the hosted page, returns to Pro, an invoice, and a notice after cancelling in the portal', async () => {
    await server.signUp('admin@example.com'); // the first account is the admin; buy as a member
    linkPrices();
    const { page } = await server.signUp('buyer@example.com');
    await page.getByTestId('nav-plans').click();
    const pro = planCard(page, 'Pro monthly');
    const buy = pro.getByTestId('plan-buy');
    expect(await buy.textContent()).toContain('Start 7-day trial');
    // Enterprise has no Stripe price: it says so instead of offering a dead Checkout.
    await planCard(page, 'Enterprise').getByTestId('plan-not-for-sale').waitFor();
    await buy.click();

    await page.waitForURL(`${server.stripe.url}/checkout/**`);
    expect(await page.getByTestId('fake-checkout-trial').textContent()).toBe('7-day trial');
    await page.getByTestId('fake-checkout-pay').click();
    await page.waitForURL('**/plans?checkout=success**');
    await page.getByTestId('checkout-success').getByText('Payment received').waitFor();
    // The webhook granted Pro: the card says so (live, through the member events).
    await pro.getByTestId('plan-held').waitFor();

    // The fake signed and delivered its events to the app's webhook, which accepted them.
    expect(server.stripe.deliveries.map((d) => [d.type, d.status])).toEqual(
      expect.arrayContaining([
        ['checkout.session.completed', 200],
        ['customer.subscription.created', 200],
        ['invoice.paid', 200],
      ]),
    );

    await page.goto('/account');
    const invoice = page.getByTestId('invoice-row');
    await invoice.waitFor();
    expect(await invoice.textContent()).toContain('FAKE-0001');
    expect(await invoice.getByTestId('invoice-status').textContent()).toBe('Paid');

    // The portal: cancel at period end, then back to Account.
    await page.getByTestId('billing-portal').click();
    await page.waitForURL(`${server.stripe.url}/portal/**`);
    await page.getByTestId('fake-portal-cancel').click();
    await page.getByTestId('fake-portal-ending').waitFor();
    expect(server.stripe.events.at(-1)?.type).toBe('customer.subscription.updated');
    await page.getByTestId('fake-portal-return').click();
    await page.waitForURL('**/account');
    await page.getByTestId('billing-card').waitFor();
    // The Plans page now says when Pro ends and that it will not renew.
    await page.getByTestId('nav-plans').click();
    const notice = page.locator(
      '[data-testid="subscription-notice"][data-notice="cancels_at_period_end"]',
    );
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Pro monthly ends on');
  });

  it('a credit pack: cancelled Checkout pays nothing; bought, it shows as purchased credits beside the allowance', async () => {
    const { page } = await server.signUp('packs@example.com');
    await page.getByTestId('nav-plans').click();
    const pack = page.locator('[data-testid="credit-pack"][data-pack-name="Starter"]');
    expect(await pack.getByTestId('pack-buy').textContent()).toBe('Buy for $3');
    await pack.getByTestId('pack-buy').click();
    await page.waitForURL(`${server.stripe.url}/checkout/**`);
    expect(await page.getByTestId('fake-checkout-mode').textContent()).toBe('payment');
    await page.getByTestId('fake-checkout-cancel').click();
    await page.waitForURL('**/plans?checkout=cancelled');
    await page.getByTestId('checkout-cancelled').getByText('Checkout cancelled').waitFor();
    const session = [...server.stripe.store.checkoutSessions.values()].at(-1)!;
    expect(session).toMatchObject({ status: 'open', metadata: { pack: 'pack_e2e' } });

    // Bought for real this time: the Usage page shows the 500 as purchased, beside the allowance.
    await pack.getByTestId('pack-buy').click();
    await page.waitForURL(`${server.stripe.url}/checkout/**`);
    await page.getByTestId('fake-checkout-pay').click();
    await page.waitForURL('**/plans?checkout=success**');
    await page.getByTestId('nav-usage').click();
    await expect.poll(() => page.getByTestId('credits-purchased').textContent()).toBe('500');
    expect(await page.getByTestId('credits-allowance').textContent()).toMatch(/^[\d,]+$/);
  });
});
