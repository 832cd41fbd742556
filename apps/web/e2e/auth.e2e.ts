// The foundation's browser journey: the built SPA served by the real server (in-process, fresh
// SQLite file), driven in Debian's Chromium through playwright-core. Run with `pnpm test:e2e`.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eServer, PASSWORD } from './harness.ts';

const server = e2eServer('auth');

/** A fresh English-speaking visitor (own cookies and localStorage). */
const newVisitor = () => server.visitor();

async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/sign-in');
  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
}

function uniqueEmail(label: string) {
  return `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

describe('authentication in the browser', () => {
  it('sends a visitor of an app page to sign-in', async () => {
    const { context, page } = await newVisitor();
    await page.goto('/account');
    await page.waitForURL('**/sign-in');
    await page.getByTestId('signin-submit').waitFor();
    await context.close();
  });

  it('signs up, signs out, signs in, manages sessions and switches to Chinese', async () => {
    const email = uniqueEmail('journey');
    const { context, page } = await newVisitor();

    // Sign up → the app opens on Chat.
    await page.goto('/sign-up');
    await page.getByTestId('signup-email').fill(email);
    await page.getByTestId('signup-password').fill(PASSWORD);
    await page.getByTestId('signup-submit').click();
    await page.waitForURL('**/chat');
    await page.getByTestId('chat-page').waitFor();

    // Sign out from the header menu → back on sign-in; the app is closed again.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('user-menu-signout').click();
    await page.waitForURL('**/sign-in');
    await page.goto('/chat');
    await page.waitForURL('**/sign-in');

    // Sign in again → Chat; signed-in visitors of /sign-in are sent on.
    await signIn(page, email);
    await page.waitForURL('**/chat');
    await page.goto('/sign-in');
    await page.waitForURL('**/chat');

    // A second device signs in too.
    const other = await newVisitor();
    await signIn(other.page, email);
    await other.page.waitForURL('**/chat');

    // Account lists both sessions; this one is marked, the other can be revoked.
    await page.getByTestId('nav-account').click();
    await page.waitForURL('**/account');
    await page.getByTestId('this-device').waitFor();
    expect(await page.getByTestId('profile-email').textContent()).toBe(email);
    await page.getByTestId('session-row').nth(1).waitFor();
    expect(await page.getByTestId('session-row').count()).toBe(2);
    const otherRow = page
      .getByTestId('session-row')
      .filter({ hasNot: page.getByTestId('this-device') });
    await otherRow.getByTestId('session-revoke').click();
    const confirm = page.getByTestId('session-revoke-confirm');
    await confirm.waitFor({ state: 'visible' });
    await confirm.click();
    // Generous: on a loaded CI machine the mutation and the refetch can take a while.
    await expect.poll(() => page.getByTestId('session-row').count(), { timeout: 45_000 }).toBe(1);
    expect(await page.getByTestId('session-revoke').count()).toBe(0);

    // The revoked device finds itself signed out on its next request.
    await other.page.reload();
    await other.page.waitForURL('**/sign-in');
    await other.context.close();

    // Switch to Chinese: navigation, <html lang> and the choice survive a reload.
    await page.getByTestId('lang-option-zh-CN').click();
    await page.getByTestId('nav-account').filter({ hasText: '账户' }).waitFor();
    expect(await page.getByTestId('nav-chat').textContent()).toBe('对话');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.reload();
    await page.getByTestId('nav-account').filter({ hasText: '账户' }).waitFor();
    await page.getByText('当前设备').waitFor();

    // Sign out everywhere (confirmed) → sign-in, still in Chinese.
    await page.getByTestId('signout-everywhere').click();
    await page.getByTestId('signout-everywhere-confirm').click();
    await page.waitForURL('**/sign-in');
    expect(await page.getByTestId('signin-submit').textContent()).toContain('登录');
    await context.close();
  });

  it('shows a wrong password as a form error, not a field error', async () => {
    const email = uniqueEmail('wrong');
    const { context, page } = await newVisitor();
    await page.goto('/sign-up');
    await page.getByTestId('signup-email').fill(email);
    await page.getByTestId('signup-password').fill(PASSWORD);
    await page.getByTestId('signup-submit').click();
    await page.waitForURL('**/chat');
    await page.goto('/account');
    await page.getByTestId('signout').click();
    await page.waitForURL('**/sign-in');

    await signIn(page, email, 'not-the-password');
    const alert = page.getByTestId('signin-error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The email or password is incorrect.');
    expect(page.url()).toContain('/sign-in');
    await context.close();
  });

  it('shows the server field error for an email that is taken', async () => {
    const email = uniqueEmail('taken');
    const first = await newVisitor();
    await first.page.goto('/sign-up');
    await first.page.getByTestId('signup-email').fill(email);
    await first.page.getByTestId('signup-password').fill(PASSWORD);
    await first.page.getByTestId('signup-submit').click();
    await first.page.waitForURL('**/chat');
    await first.context.close();

    const { context, page } = await newVisitor();
    await page.goto('/sign-up');
    await page.getByTestId('signup-email').fill(email);
    await page.getByTestId('signup-password').fill(PASSWORD);
    await page.getByTestId('signup-submit').click();
    await page.getByText('An account with this email already exists.').first().waitFor();
    expect(page.url()).toContain('/sign-up');
    await context.close();
  });
});
