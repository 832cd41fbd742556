// Membership in the browser: an admin grants and revokes a mark while the member watches the
// Plans page, which updates live over SSE (no reload); then the member starts a vendor trial.
// The built SPA is served by the real server (in-process, fresh SQLite file, demo catalog).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eServer } from './harness.ts';

const server = e2eServer('membership', { seedDemo: true });

const signUp = (email: string) => server.signUp(email);

const heldMark = (page: Page, key: string) =>
  page.locator(`[data-testid="held-mark"][data-mark-key="${key}"]`);

describe('membership in the browser', () => {
  it('shows an admin grant and revoke live, then a vendor trial', async () => {
    // The first account is the platform admin; the second a member.
    const admin = await signUp('admin@example.com');
    const member = await signUp('member@example.com');

    // The member opens Plans: Free is held, Pro is not; the page is never reloaded from here on.
    await member.page.getByTestId('nav-plans').click();
    await heldMark(member.page, 'free').waitFor();
    expect(await heldMark(member.page, 'pro').count()).toBe(0);
    await member.page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    const proCard = member.page.locator('[data-testid="plan-card"][data-plan-name="Pro monthly"]');
    expect(await proCard.getByTestId('plan-current').count()).toBe(0);

    // The admin finds the member and grants Pro for one day, with a reason.
    await admin.page.getByTestId('nav-admin').click();
    await admin.page
      .getByTestId('admin-user-row')
      .filter({ hasText: 'member@example.com' })
      .click();
    await admin.page.getByTestId('admin-user-detail').waitFor();
    expect(await admin.page.getByTestId('detail-email').textContent()).toBe('member@example.com');
    await admin.page.getByTestId('grant-mark').click();
    await admin.page.getByTestId('grant-mark-select').click();
    await admin.page.getByTestId('mark-option-pro').click();
    await admin.page.getByTestId('grant-days').fill('1');
    await admin.page.getByTestId('grant-reason').fill('Support ticket #42');
    await admin.page.getByTestId('grant-submit').click();
    const adminProRow = admin.page.locator('[data-testid="membership-row"][data-mark-key="pro"]');
    await adminProRow.waitFor();
    expect(await adminProRow.getByTestId('membership-source').textContent()).toBe(
      'Granted by admin',
    );

    // The member's page shows Pro with its end and a countdown, and the card is Current.
    const pro = heldMark(member.page, 'pro');
    await pro.waitFor();
    expect(await pro.getByTestId('held-mark-expiry').textContent()).toMatch(/^Ends /);
    expect(await pro.getByTestId('countdown').textContent()).toMatch(/^Ends in 23h 5\dm$/);
    expect(await pro.getByTestId('membership-source').textContent()).toBe('Granted by admin');
    await proCard.getByTestId('plan-current').waitFor();

    // The admin revokes it (reason, confirm) → gone from the member's page, still no reload.
    await adminProRow.getByTestId('membership-revoke').click();
    await admin.page.getByTestId('revoke-reason').fill('Ticket closed');
    await admin.page.getByTestId('revoke-submit').click();
    await adminProRow.getByTestId('membership-revoke').waitFor({ state: 'detached' });
    expect(await adminProRow.getByTestId('membership-status').textContent()).toBe('Revoked');
    await pro.waitFor({ state: 'detached' });
    await proCard.getByTestId('plan-current').waitFor({ state: 'detached' });

    // The audit log has both changes.
    await admin.page.getByTestId('admin-tab-audit').click();
    await admin.page.getByTestId('audit-row').filter({ hasText: 'membership.revoked' }).waitFor();
    expect(
      await admin.page.getByTestId('audit-row').filter({ hasText: 'Support ticket #42' }).count(),
    ).toBe(1);

    // The member starts the Acme Writer trial and holds acme:writer for 3 days.
    const writerCard = member.page.locator(
      '[data-testid="plan-card"][data-plan-name="Acme Writer"]',
    );
    await writerCard.getByTestId('plan-trial').click();
    const writer = heldMark(member.page, 'acme:writer');
    await writer.waitFor();
    expect(await writer.getByTestId('membership-source').textContent()).toBe('Trial');
    expect(await writer.getByTestId('countdown').textContent()).toMatch(/^Ends in 2d 23h 5\dm$/);
    await writerCard.getByTestId('plan-current').waitFor();
    expect(await writerCard.getByTestId('plan-trial').count()).toBe(0);

    // Without Stripe, a paid plan without a trial says how to get it (a code or an admin).
    const enterprise = member.page.locator(
      '[data-testid="plan-card"][data-plan-name="Enterprise"]',
    );
    expect(await enterprise.getByTestId('plan-not-for-sale').isDisabled()).toBe(true);

    expect(
      await member.page.evaluate(
        () => (window as unknown as { notReloaded?: boolean }).notReloaded,
      ),
    ).toBe(true);
    await admin.context.close();
    await member.context.close();
  });

  it('keeps the Admin and Vendor consoles from people without the role', async () => {
    const { context, page } = await signUp('visitor@example.com');
    await page.getByTestId('nav-plans').waitFor();
    expect(await page.getByTestId('nav-admin').count()).toBe(0);
    expect(await page.getByTestId('nav-vendor').count()).toBe(0);
    await page.goto('/admin/marks');
    await page.getByText('Only platform admins can see this page.').waitFor();
    await page.goto('/vendor/acme/marks');
    await page.getByText('No such vendor').waitFor();
    await context.close();
  });
});
