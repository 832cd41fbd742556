// Admin → Payments in the browser: the platform admin creates a credit pack (price typed in
// dollars), links it to a Stripe price and sees a malformed one refused on the field; pages
// through the Stripe event log; and in Plans gives a new plan its slug and links its price.
// Real server and SPA; events are recorded by the same domain function the webhook route calls.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { handleStripeEvent } from '../../../packages/api/src/domain/payments/handle-stripe-event.ts';
import { e2eServer, PASSWORD } from './harness.ts';

const server = e2eServer('admin-payments', { seedDemo: true });

async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill(PASSWORD);
  await page.getByTestId('signin-submit').click();
  await page.waitForURL('**/chat');
}

/** The validation message under the form item holding `testId`'s input. */
function fieldError(page: Page, drawer: string, testId: string) {
  return page
    .getByTestId(drawer)
    .locator('.ant-form-item', { has: page.getByTestId(testId) })
    .locator('.ant-form-item-explain-error');
}

describe('admin payments console', () => {
  it('creates a credit pack, then refuses a malformed Stripe price id on its field', async () => {
    const { page } = await server.signUp('admin@example.com'); // the first account: admin
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin-tab-payments').click();
    await page.waitForURL('**/admin/payments');
    // No webhook has delivered anything: the log says what to configure.
    await page.getByTestId('stripe-events-empty').getByText('STRIPE_WEBHOOK_SECRET').waitFor();

    await page.getByTestId('pack-new').click();
    const drawer = page.getByTestId('pack-drawer');
    await drawer.waitFor();
    await page.getByTestId('pack-name').fill('Starter pack');
    await page.getByTestId('pack-credits').fill('500000');
    await page.getByTestId('pack-price').fill('19.99');
    await page.getByTestId('pack-save').click();
    await drawer.waitFor({ state: 'hidden' });

    // Typed in dollars, stored in cents: the list shows $19.99 (1999 minor units).
    const row = page.getByTestId('pack-row').filter({ hasText: 'Starter pack' });
    await row.waitFor();
    expect(await row.getByTestId('pack-row-price').textContent()).toBe('$19.99');
    expect(await row.textContent()).toContain('500,000');

    await row.getByTestId('pack-edit').click();
    await drawer.waitFor();
    await page.getByTestId('pack-stripe-price').fill('prod_123');
    await page.getByTestId('pack-save').click();
    const error = fieldError(page, 'pack-drawer', 'pack-stripe-price');
    await error.getByText('A Stripe price id starts with price_').waitFor();
    expect(await drawer.isVisible()).toBe(true);

    // A well-formed id saves and shows in the list.
    await page.getByTestId('pack-stripe-price').fill('price_1Starter');
    await page.getByTestId('pack-save').click();
    await drawer.waitFor({ state: 'hidden' });
    await expect
      .poll(() => row.getByTestId('pack-row-stripe-price').textContent())
      .toBe('price_1Starter');
  });

  it('pages through the Stripe event log, newest first', async () => {
    const start = Date.parse('2026-12-01T10:00:00Z');
    for (let i = 1; i <= 30; i++) {
      handleStripeEvent(
        server.app.database.db,
        {
          id: `evt_${String(i).padStart(2, '0')}`,
          type: 'customer.created',
          created: start / 1000,
          object: {},
        },
        { fresh: null, graceDays: 3, now: new Date(start + i * 1000) },
      );
    }
    const { page } = await server.visitor();
    await signIn(page, 'admin@example.com');
    await page.goto('/admin/payments');
    const rows = page.getByTestId('stripe-event-row');
    await expect.poll(() => rows.count()).toBe(25);
    expect(await rows.first().textContent()).toContain('evt_30');
    expect(await rows.first().getByTestId('stripe-event-outcome').textContent()).toBe('Ignored');

    await page.getByTestId('stripe-events-more').click();
    await expect.poll(() => rows.count()).toBe(30);
    expect(await rows.last().textContent()).toContain('evt_01');
    await page.getByText('All 30 events shown.').waitFor();
    expect(await page.getByTestId('stripe-events-more').count()).toBe(0);
  });

  it('a new plan takes a slug as its key; the plans list shows it and the linked Stripe price', async () => {
    const { page } = await server.visitor();
    await signIn(page, 'admin@example.com');
    await page.goto('/admin/plans');
    await page.getByTestId('plan-new').click();
    const drawer = page.getByTestId('plan-drawer');
    await drawer.waitFor();
    await page.getByTestId('plan-name').fill('Launch offer');
    await page.getByTestId('plan-slug').fill('pro-launch');
    await page.getByTestId('plan-save').click();
    await drawer.waitFor({ state: 'hidden' });

    const row = page.getByTestId('plan-row').filter({ hasText: 'Launch offer' });
    await expect.poll(() => row.getByTestId('plan-key').textContent()).toBe('pro-launch');

    // The key is fixed once the plan exists: editing offers no slug, but links the price.
    await row.getByTestId('plan-edit').click();
    await drawer.waitFor();
    expect(await page.getByTestId('plan-slug').count()).toBe(0);
    await page.getByTestId('plan-stripe-price').fill('price_1Launch');
    await page.getByTestId('plan-save').click();
    await drawer.waitFor({ state: 'hidden' });
    await expect
      .poll(() => row.getByTestId('plan-stripe-price-cell').textContent())
      .toBe('price_1Launch');
  });
});
