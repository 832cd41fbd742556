// Forgot password, end to end in the browser: a member asks for a link on the sign-in page, the
// mail lands in the development outbox (no SMTP_URL: nothing leaves the machine), the platform
// admin reads the link there, the member sets a new password with it and signs in with it; the
// used link then says so and offers a new one.
import { describe, expect, it } from 'vitest';
import { e2eServer, PASSWORD } from './harness.ts';

const server = e2eServer('password-reset', {
  mail: { from: 'Tessera <no-reply@e2e.test>', pollMs: 100 },
});
const NEW_PASSWORD = 'a-brand-new-passphrase-9';

describe('forgot password in the browser', () => {
  it('requests a link, reads it in the admin outbox, sets a new password and signs in', async () => {
    const admin = await server.signUp('root@example.com'); // the first account: the platform admin
    const member = await server.signUp('forgetful@example.com');
    await member.page.getByTestId('user-menu').click();
    await member.page.getByTestId('user-menu-signout').click();
    await member.page.waitForURL('**/sign-in');

    // Sign-in → "Forgot password?" → the same answer for any address.
    await member.page.getByTestId('to-forgot').click();
    await member.page.waitForURL('**/forgot-password');
    await member.page.getByTestId('forgot-email').fill('forgetful@example.com');
    await member.page.getByTestId('forgot-submit').click();
    await member.page.getByTestId('forgot-sent').waitFor();

    // The admin finds the mail in Admin → Outbox and reads the link in its text body.
    await admin.page.goto('/admin/outbox');
    // (The sign-up's verification mail went to the same address: take the reset mail.)
    const row = admin.page
      .getByTestId('outbox-row-forgetful@example.com')
      .filter({ hasText: 'Reset your Tessera password' });
    await row.waitFor();
    await expect
      .poll(() => row.getByTestId('outbox-status').textContent(), { timeout: 15_000 })
      .toBe('logged');
    await row.click();
    const text = (await admin.page.getByTestId('outbox-text').first().textContent()) ?? '';
    const link = /https?:\/\/\S+\/reset-password\?token=[a-z2-7.]+/.exec(text)?.[0];
    expect(link, text).toBeDefined();
    const path = new URL(link!).pathname + new URL(link!).search;

    // The member opens the link and sets a new password (the two entries must agree).
    await member.page.goto(path);
    await member.page.getByTestId('reset-password').fill(NEW_PASSWORD);
    await member.page.getByTestId('reset-confirm').fill(NEW_PASSWORD);
    await member.page.getByTestId('reset-submit').click();
    await member.page.getByTestId('reset-done').waitFor();
    await member.page.getByTestId('reset-to-signin').click();
    await member.page.waitForURL('**/sign-in');

    // The old password no longer works; the new one does.
    await member.page.getByTestId('signin-email').fill('forgetful@example.com');
    await member.page.getByTestId('signin-password').fill(PASSWORD);
    await member.page.getByTestId('signin-submit').click();
    await member.page.getByTestId('signin-error').waitFor();
    await member.page.getByTestId('signin-password').fill(NEW_PASSWORD);
    await member.page.getByTestId('signin-submit').click();
    await member.page.waitForURL('**/chat');

    // The link worked once: opened again it says so and offers a new one.
    const again = await server.visitor();
    await again.page.goto(path);
    await again.page.getByTestId('reset-password').fill('yet-another-passphrase-7');
    await again.page.getByTestId('reset-confirm').fill('yet-another-passphrase-7');
    await again.page.getByTestId('reset-submit').click();
    const error = again.page.getByTestId('reset-link-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('already used');
    await again.page.getByTestId('reset-ask-again').click();
    await again.page.waitForURL('**/forgot-password');

    for (const v of [admin, member, again]) await v.context.close();
  });
});
