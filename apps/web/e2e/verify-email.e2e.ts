// Email verification and sign-up controls in the browser (decision 022). A new member sees the
// "verify your email" banner, a trial is refused with a "verify first / send a new link" dialog,
// the platform admin reads the link in the development outbox, the member opens it and is
// verified (banner gone, the trial starts); the used link says so. Then the admin closes sign-up
// (the sign-up page says so) and makes it invite-only: an invite mailed from Admin → Sign-up opens
// the sign-up page for the invited address, which signs up already verified.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eServer, PASSWORD } from './harness.ts';

const server = e2eServer('verify-email', {
  seedDemo: true,
  mail: { from: 'Tessera <no-reply@e2e.test>', pollMs: 100 },
});

/** The newest mail to `to` whose subject starts with `subject`, read in Admin → Outbox: its link. */
async function linkFromOutbox(admin: Page, to: string, subject: string, path: string) {
  await admin.goto('/admin/outbox');
  const row = admin.getByTestId(`outbox-row-${to}`).filter({ hasText: subject }).first();
  await row.waitFor();
  await expect
    .poll(() => row.getByTestId('outbox-status').textContent(), { timeout: 15_000 })
    .toBe('logged');
  await row.click();
  const text = (await admin.getByTestId('outbox-text').first().textContent()) ?? '';
  const link = new RegExp(`https?://\\S+/${path}\\?\\w+=[a-z2-7.]+`).exec(text)?.[0];
  expect(link, text).toBeDefined();
  return new URL(link!).pathname + new URL(link!).search;
}

describe('email verification and sign-up controls in the browser', () => {
  it('a new member verifies through the mailed link; trials wait for it', async () => {
    const admin = await server.signUp('root@example.com'); // the first account: the admin
    const member = await server.signUp('newbie@example.com', { verified: false });
    const banner = member.page.getByTestId('verify-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('newbie@example.com');

    // A trial is refused for the unverified address, with a way to get a new link.
    await member.page.goto('/plans');
    const writerCard = member.page.locator(
      '[data-testid="plan-card"][data-plan-name="Acme Writer"]',
    );
    await writerCard.getByTestId('plan-trial').click();
    await member.page.getByTestId('verify-required').waitFor();
    await member.page.getByTestId('verify-required-resend').click();
    await member.page.getByText('A new link is on its way to newbie@example.com.').waitFor();

    // Admin → Users tags the address as unverified (and not the verified admin's).
    await admin.page.goto('/admin/users');
    const row = (email: string) =>
      admin.page.getByTestId('admin-user-row').filter({ hasText: email });
    await row('newbie@example.com').getByTestId('user-unverified').waitFor();
    expect(await row('root@example.com').getByTestId('user-unverified').count()).toBe(0);

    const path = await linkFromOutbox(
      admin.page,
      'newbie@example.com',
      'Confirm your email',
      'verify-email',
    );
    await member.page.goto(path);
    await member.page.getByTestId('verify-done').waitFor();
    await member.page.getByTestId('verify-to-app').click();
    await member.page.waitForURL('**/chat');
    await member.page.goto('/plans');
    await writerCard.getByTestId('plan-trial').click();
    await writerCard.getByTestId('plan-current').waitFor();
    expect(await member.page.getByTestId('verify-banner').count()).toBe(0);

    // The link worked once.
    await member.page.goto(path);
    const failed = member.page.getByTestId('verify-failed');
    await failed.waitFor();
    expect(await failed.getAttribute('data-reason')).toBe('used');
    expect(await failed.textContent()).toContain('already used');

    // Closed: the sign-up page says so instead of offering a form.
    await admin.page.goto('/admin/signup');
    await admin.page.getByTestId('signup-mode').getByText('Closed: nobody').click();
    await admin.page.getByText('Sign-up is now: Closed: nobody.').waitFor();
    const visitor = await server.visitor();
    await visitor.page.goto('/sign-up');
    await visitor.page.getByTestId('signup-closed').waitFor();
    expect(await visitor.page.getByTestId('signup-email').count()).toBe(0);

    // Invite-only: an invite from the console opens sign-up for the invited address, verified.
    await admin.page.getByTestId('signup-mode').getByText('Invite-only').click();
    await admin.page.getByText('Sign-up is now: Invite-only.').waitFor();
    await admin.page.getByTestId('invite-email').fill('guest@example.com');
    await admin.page.getByTestId('invite-send').click();
    await admin.page.getByText('Invite mailed to guest@example.com.').waitFor();
    const invitePath = await linkFromOutbox(
      admin.page,
      'guest@example.com',
      'You are invited',
      'sign-up',
    );
    await visitor.page.goto('/sign-up');
    await visitor.page.getByTestId('signup-invite-only').waitFor();
    await visitor.page.goto(invitePath);
    await visitor.page.getByTestId('signup-invited').waitFor();
    expect(await visitor.page.getByTestId('signup-email').inputValue()).toBe('guest@example.com');
    await visitor.page.getByTestId('signup-password').fill(PASSWORD);
    await visitor.page.getByTestId('signup-submit').click();
    await visitor.page.waitForURL('**/chat');
    expect(await visitor.page.getByTestId('verify-banner').count()).toBe(0);

    await admin.page.goto('/admin/signup');
    const invited = admin.page.getByTestId('invite-row-guest@example.com');
    await invited.waitFor();
    expect(await invited.getByTestId('invite-status').textContent()).toBe('used');

    for (const v of [admin, member, visitor]) await v.context.close();
  });
});
