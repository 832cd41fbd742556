// Usage and credits in the browser: a member watches their Usage page while an admin adds credits
// on the member's detail page; the balance and the ledger update live over SSE (no reload). Then
// the member sets a personal daily cap: above the plan is refused on the field, below it applies.
// The built SPA is served by the real server (in-process, fresh SQLite file, demo catalog).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eServer, PASSWORD } from './harness.ts';

const server = e2eServer('usage', { seedDemo: true });

const signUp = (email: string) => server.signUp(email);

/** Waits until the element's text contains `text` (the page updates on its own). */
const waitForText = (page: Page, testId: string, text: string) =>
  page.getByTestId(testId).filter({ hasText: text }).first().waitFor();

describe('usage and credits in the browser', () => {
  it('shows an admin credit adjustment live, then applies a personal daily cap', async () => {
    const admin = await signUp('admin@example.com');
    const member = await signUp('member@example.com');

    // The member opens Usage: the free tier's daily refill and today's quota.
    await member.page.getByTestId('nav-usage').click();
    await member.page.getByTestId('usage-page').waitFor();
    await waitForText(member.page, 'credits-balance', '10,000');
    await waitForText(member.page, 'usage-today', '0 / 20');
    expect(await member.page.getByTestId('usage-today').textContent()).toBe('0 / 20');
    await member.page
      .locator('[data-testid="ledger-row"][data-kind="refill"]')
      .filter({ hasText: 'Daily refill' })
      .waitFor();
    await member.page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    // The admin opens the member's detail page and adds 2,500 credits with a reason. A double
    // click on Apply sends the same idempotency key twice: the credits are added once.
    await admin.page.getByTestId('nav-admin').click();
    await admin.page
      .getByTestId('admin-user-row')
      .filter({ hasText: 'member@example.com' })
      .click();
    await admin.page.getByTestId('user-credits').waitFor();
    await waitForText(admin.page, 'credits-balance', '10,000');
    await admin.page.getByTestId('adjust-credits').click();
    await admin.page.getByTestId('adjust-amount').fill('2500');
    await admin.page.getByTestId('adjust-reason').fill('Goodwill for ticket #42');
    await waitForText(admin.page, 'adjust-after', '12,500');
    await admin.page.getByTestId('adjust-submit').dblclick();
    await waitForText(admin.page, 'credits-balance', '12,500');
    const adminAdjust = admin.page.locator('[data-testid="ledger-row"][data-kind="adjust"]');
    await adminAdjust.filter({ hasText: 'Goodwill for ticket #42' }).waitFor();

    // The member's page, not reloaded, shows the new balance and the adjustment in the ledger.
    await waitForText(member.page, 'credits-balance', '12,500');
    const adjustRow = member.page.locator('[data-testid="ledger-row"][data-kind="adjust"]');
    await adjustRow.waitFor();
    expect(await adjustRow.count()).toBe(1);
    expect(await adjustRow.getByTestId('ledger-title').textContent()).toBe('Admin adjustment');
    expect(await adjustRow.getByTestId('ledger-amount').textContent()).toBe('+2,500');
    expect(await member.page.getByTestId('credits-available').textContent()).toBe('12,500');
    // The admin's reason is for the audit trail, not shown to the member.
    expect(await adjustRow.textContent()).not.toContain('Goodwill');
    expect(await admin.page.getByTestId('credits-balance').textContent()).toContain('12,500');

    // A daily cap above the plan's 20 is refused on the field; 5 applies.
    const caps = member.page.getByTestId('caps-card');
    const dailyField = caps
      .locator('.ant-form-item')
      .filter({ has: member.page.getByTestId('caps-daily') });
    const abovePlan = dailyField
      .locator('.ant-form-item-explain-error')
      .filter({ hasText: 'This is more than your plan allows.' });
    await caps.getByTestId('caps-daily-unlimited').click();
    await caps.getByTestId('caps-daily').fill('25');
    await caps.getByTestId('caps-save').click();
    await abovePlan.waitFor();
    expect(await member.page.getByTestId('usage-today').textContent()).toBe('0 / 20');
    await caps.getByTestId('caps-daily').fill('5');
    await caps.getByTestId('caps-save').click();
    await waitForText(member.page, 'usage-today', '0 / 5');
    await abovePlan.waitFor({ state: 'detached' });
    await member.page.getByTestId('usage-today-card').getByText('Personal cap').waitFor();

    expect(
      await member.page.evaluate(
        () => (window as unknown as { notReloaded?: boolean }).notReloaded,
      ),
    ).toBe(true);
    await admin.context.close();
    await member.context.close();
  });

  it('lets an admin run a refill and lists the run', async () => {
    const { context, page } = await server.visitor();
    await page.goto('/sign-in');
    await page.getByTestId('signin-email').fill('admin@example.com');
    await page.getByTestId('signin-password').fill(PASSWORD);
    await page.getByTestId('signin-submit').click();
    await page.waitForURL('**/chat');
    await page.goto('/admin/credits');
    await page.getByTestId('refill-include-on-demand').click();
    await page.getByTestId('refill-run').click();
    await waitForText(page, 'refill-result', 'credits granted');
    await page.getByTestId('refill-run-row').filter({ hasText: 'Admin' }).first().waitFor();
    await context.close();
  });
});
