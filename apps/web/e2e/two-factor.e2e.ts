// Two-factor authentication in the browser (decision 024), with admins required to use it: the
// first account (the platform admin) is sent from the admin console to Account to enrol; it reads
// the key shown on the page, computes codes with @oslojs/otp as an authenticator app would, turns
// TOTP on, opens the console, signs out, and signs in with the password and then a code.
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { describe, expect, it } from 'vitest';
import { e2eServer, PASSWORD } from './harness.ts';

const server = e2eServer('two-factor', { twoFactor: { adminRequired: true } });

/** The code for the 30-second step `offset` steps from now (the server accepts ±1 step). */
function codeFor(secret: string, offset = 0): string {
  const step = Math.floor(Date.now() / 30_000) + offset;
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(step), 6);
}

describe('two-factor authentication in the browser', () => {
  it('sends an admin to enrol, turns TOTP on, and signs in with password then code', async () => {
    const { page, context } = await server.signUp('root@example.com');

    // The admin rule: the console sends the admin to Account to enrol first.
    await page.goto('/admin');
    await page.waitForURL('**/account#two-factor');
    await page.getByTestId('two-factor-admin-required').waitFor();
    expect(await page.getByTestId('two-factor-status').textContent()).toBe('Off');

    await page.getByTestId('totp-enable').click();
    const qr = page.getByTestId('totp-qr');
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const shown = (await page.getByTestId('totp-secret').textContent()) ?? '';
    const secret = shown.replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    // A wrong code is refused and nothing is turned on; the right one is accepted.
    const right = codeFor(secret);
    await page.getByTestId('totp-code').fill(right === '000000' ? '111111' : '000000');
    await page.getByTestId('totp-confirm').click();
    await page.getByText('This code is not valid').first().waitFor();
    await page.getByTestId('totp-code').fill(codeFor(secret));
    await page.getByTestId('totp-confirm').click();
    const recovery = page.getByTestId('totp-recovery-codes');
    await recovery.waitFor();
    expect(await recovery.locator('li').count()).toBe(10);
    await page.getByTestId('totp-recovery-done').click();
    await expect.poll(() => page.getByTestId('two-factor-status').textContent()).toBe('On');

    // The console opens now.
    await page.goto('/admin');
    await page.getByTestId('admin-page').waitFor();

    // Sign out, then sign in: the password first, then a code.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('user-menu-signout').click();
    await page.waitForURL('**/sign-in');
    await page.getByTestId('signin-email').fill('root@example.com');
    await page.getByTestId('signin-password').fill(PASSWORD);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('signin-code').waitFor();
    expect(page.url()).toContain('/sign-in');
    // The enrolment used this step's code; the next step's is still within the accepted drift.
    await page.getByTestId('signin-code').fill(codeFor(secret, 1));
    await page.getByTestId('signin-code-submit').click();
    await page.waitForURL('**/chat');
    await page.goto('/admin');
    await page.getByTestId('admin-page').waitFor();

    await context.close();
  });
});
