// Account → Notifications, Your data and Danger zone in the browser (decision 025): a member turns
// a notification off and sets the credits-low threshold (both survive a reload and are what the
// server stores), sees a trial-ending mail listed, downloads their data, then deletes the account — a wrong email is refused under
// its field, the right one ends on sign-in — and the same email signs up again.
import { readFile } from 'node:fs/promises';
import { getMarkByKey, grantMark, sweepEndingMemberships } from '@tessera/api';
import { describe, expect, it } from 'vitest';
import { e2eServer, PASSWORD } from './harness.ts';

const server = e2eServer('leaving', { seedDemo: true });

const stored = (email: string) =>
  server.app.database.sqlite
    .prepare(
      `select p.membership_ending as membershipEnding, p.credits_low_threshold as threshold
         from notification_preferences p join users u on u.id = p.user_id where u.email = ?`,
    )
    .get(email) as { membershipEnding: number; threshold: number } | undefined;

describe('notifications and leaving in the browser', () => {
  it('turns a notification off, sets the threshold, downloads the data, deletes the account', async () => {
    const admin = await server.signUp('root@example.com'); // the first account: the platform owner
    const member = await server.signUp('leaver@example.com');
    const { page } = member;
    await page.goto('/account');

    // A switch saves as it is flipped; the threshold has its own button.
    const ending = page.getByTestId('notify-membershipEnding');
    await expect.poll(() => ending.getAttribute('aria-checked')).toBe('true');
    await ending.click();
    await expect.poll(() => stored('leaver@example.com')?.membershipEnding).toBe(0);
    await page.getByTestId('notify-threshold').fill('5000');
    await page.getByTestId('notify-threshold-save').click();
    await expect.poll(() => stored('leaver@example.com')?.threshold).toBe(5000);
    await page.reload();
    await expect
      .poll(() => page.getByTestId('notify-membershipEnding').getAttribute('aria-checked'))
      .toBe('false');
    expect(await page.getByTestId('notify-creditsLow').getAttribute('aria-checked')).toBe('true');
    await expect.poll(() => page.getByTestId('notify-threshold').inputValue()).toBe('5,000');

    // A trial about to end is told (trials are still on), and the mail is listed here.
    const { db } = server.app.database;
    const userId = (
      server.app.database.sqlite
        .prepare("select id from users where email = 'leaver@example.com'")
        .get() as { id: string }
    ).id;
    grantMark(db, {
      userId,
      markId: getMarkByKey(db, 'pro').id,
      days: 2,
      source: 'trial',
      actorUserId: null,
      now: new Date(),
    });
    sweepEndingMemberships(db, { now: new Date(), baseUrl: server.app.url, timeZone: 'UTC' });
    await page.reload();
    await page.getByTestId('notification-trial_ending').waitFor();

    // Your data: one JSON file, theirs.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-data').click(),
    ]);
    const data = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(data.account.email).toBe('leaver@example.com');
    expect(data.notificationSettings).toMatchObject({
      membershipEnding: false,
      creditsLowThreshold: 5000,
    });

    // Danger zone: the wrong email is refused under its field, nothing deleted.
    await page.getByTestId('delete-account').click();
    await page.getByTestId('delete-account-email').fill('someone-else@example.com');
    await page.getByTestId('delete-account-password').fill(PASSWORD);
    await page.getByTestId('delete-account-confirm').click();
    await page.getByText('This is not the email of this account.').waitFor();
    await page.getByTestId('delete-account-email').fill('leaver@example.com');
    await page.getByTestId('delete-account-confirm').click();
    await page.waitForURL('**/sign-in');

    // The old password no longer signs in; the address signs up again as a new account.
    await page.getByTestId('signin-email').fill('leaver@example.com');
    await page.getByTestId('signin-password').fill(PASSWORD);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('signin-error').waitFor();
    const again = await server.signUp('leaver@example.com');
    const users = server.app.database.sqlite
      .prepare("select count(*) as n from users where email like 'deleted-%@invalid'")
      .get() as { n: number };
    expect(users.n).toBe(1);

    for (const v of [admin, member, again]) await v.context.close();
  });
});
