// Trust boundaries in the browser: the platform admin lowers a vendor's ceiling in the Vendors
// tab, opens that vendor's console (as the platform) and sees the vendor's mark refused with the
// field error; disables a member, whose session ends; suspends the vendor and names its owner;
// and changes its own password, ending its other sessions. Real server, demo catalog (Acme sells
// `acme:writer`, which grants tessera-plus; Acme's ceiling starts at tessera-mini + tessera-plus).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eServer, PASSWORD } from './harness.ts';

const server = e2eServer('admin-trust', { seedDemo: true });

async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/sign-in');
  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
  await page.waitForURL('**/chat');
}

/** Toggles an option of an open multiple Select (a chosen one is unchosen). */
async function toggleOption(page: Page, picker: string, title: string) {
  await page.getByTestId(picker).click();
  const option = page.locator(
    `.ant-select-dropdown:visible .ant-select-item-option[title="${title}"]`,
  );
  await option.click();
}

describe('trust boundaries in the admin console', () => {
  it('a ceiling set in the UI refuses a vendor mark over it, with the field error shown', async () => {
    const admin = await server.signUp('admin@example.com');
    const { page } = admin;
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin-tab-vendors').click();
    const acme = page.locator('[data-testid="vendor-row"][data-vendor-slug="acme"]');
    await acme.waitFor();

    // Take tessera-plus out of Acme's ceiling and save.
    await acme.getByTestId('vendor-edit-ceiling').click();
    const drawer = page.getByTestId('ceiling-drawer');
    await drawer.waitFor();
    await toggleOption(page, 'mark-models', 'Tessera Plus (tessera-plus)');
    await drawer.locator('.ant-drawer-title').click(); // closes the dropdown
    await page.getByTestId('ceiling-save').click();
    await drawer.waitFor({ state: 'hidden' });

    // The vendor's console, opened by the platform: the ceiling shows tessera-mini only.
    await acme.getByTestId('vendor-open-console').click();
    await page.waitForURL('**/vendor/acme/marks');
    await page.getByTestId('vendor-via-platform').waitFor();
    const models = page.getByTestId('vendor-ceiling').getByTestId('ent-models');
    await expect.poll(() => models.textContent()).toContain('tessera-mini');
    expect(await models.textContent()).not.toContain('tessera-plus');

    // Saving acme:writer as it is (it grants tessera-plus) is refused on the models field.
    const writer = page.locator('[data-testid="mark-row"][data-mark-key="acme:writer"]');
    await writer.getByTestId('mark-edit').click();
    const markDrawer = page.getByTestId('mark-drawer');
    await markDrawer.waitFor();
    // The picker offers only what the ceiling delegates.
    await page.getByTestId('mark-models').click();
    const offered = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await expect
      .poll(() => offered.evaluateAll((els) => els.map((el) => el.getAttribute('title'))))
      .toEqual(['Tessera Mini (tessera-mini)']);
    await markDrawer.locator('.ant-drawer-title').click();
    await page.getByTestId('mark-save').click();
    const fieldError = markDrawer.locator('.ant-form-item-explain-error', {
      hasText: 'Above what the platform delegates to this vendor',
    });
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toContain('tessera-plus');
    expect(await markDrawer.isVisible()).toBe(true);
  });

  it('an admin disables a user in the UI: tagged Disabled, and their session ends', async () => {
    const member = await server.signUp('member@example.com');
    const admin = await server.visitor();
    await signIn(admin.page, 'admin@example.com');
    await admin.page.goto('/admin/users');

    const row = admin.page.getByTestId('admin-user-row').filter({ hasText: 'member@example.com' });
    await row.waitFor();
    expect(await row.getByTestId('user-disabled').count()).toBe(0);
    await row.getByTestId('user-disable').click();
    await admin.page.getByTestId('user-disable-input').fill('Chargeback #7');
    await admin.page.getByTestId('user-disable-submit').click();
    await row.getByTestId('user-disabled').waitFor();
    // The dialog's clicks did not open the user's page.
    expect(admin.page.url()).toMatch(/\/admin\/users$/);

    // The member's session is gone: the next load lands on sign-in.
    await member.page.reload();
    await member.page.waitForURL('**/sign-in');

    // The detail page says so too, and offers Enable.
    await row.getByTestId('admin-user-link').click();
    await admin.page.getByTestId('admin-user-detail').waitFor();
    await admin.page.getByTestId('user-disabled').waitFor();
    await admin.page.getByTestId('user-enable').waitFor();
  });

  it('a vendor suspended in the UI shows Suspended (and in its console); set owner names the new one', async () => {
    await server.signUp('owner@example.com');
    const admin = await server.visitor();
    await signIn(admin.page, 'admin@example.com');
    await admin.page.goto('/admin/vendors');
    const acme = admin.page.locator('[data-testid="vendor-row"][data-vendor-slug="acme"]');
    await acme.waitFor();

    await acme.getByTestId('vendor-suspend').click();
    await admin.page.getByTestId('vendor-suspend-input').fill('Unpaid invoices');
    await admin.page.getByTestId('vendor-suspend-submit').click();
    // The dialog closes only when the server accepted; an error would keep it open, on show.
    await admin.page.getByTestId('vendor-suspend-input').waitFor({ state: 'detached' });
    await acme.getByTestId('vendor-suspended').waitFor();
    await acme.getByTestId('vendor-open-console').click();
    await admin.page.getByTestId('vendor-suspended-notice').waitFor();
    expect(await admin.page.getByTestId('vendor-suspended-notice').textContent()).toContain(
      'Unpaid invoices',
    );

    await admin.page.goto('/admin/vendors');
    await acme.getByTestId('vendor-set-owner').click();
    await admin.page.getByTestId('vendor-owner-input').fill('owner@example.com');
    await admin.page.getByTestId('vendor-owner-submit').click();
    await expect
      .poll(() => acme.getByTestId('vendor-owner-email').textContent())
      .toBe('owner@example.com');
  });

  it('the account page changes the password and says how many other sessions ended', async () => {
    const other = await server.visitor();
    await signIn(other.page, 'admin@example.com');
    const { page } = await server.visitor();
    await signIn(page, 'admin@example.com');
    await page.goto('/account');
    await page.getByTestId('password-current').fill('not-my-password');
    await page.getByTestId('password-new').fill('a brand new passphrase');
    await page.getByTestId('password-confirm').fill('a brand new passphrase');
    await page.getByTestId('password-submit').click();
    await page
      .getByTestId('password-card')
      .getByText('This is not your current password.')
      .waitFor();

    await page.getByTestId('password-current').fill(PASSWORD);
    await page.getByTestId('password-submit').click();
    await page.getByText(/Password changed\. Other sessions signed out: [1-9]/).waitFor();
    await other.page.reload();
    await other.page.waitForURL('**/sign-in');
  });
});
