// Notifications by mail (issue 14, decision 025), with a real SMTP server on loopback receiving
// them: membership ending and trial ending from the scheduler's sweep (its clock injected, so the
// 3-day window is tested without waiting), credits low after a charged answer (threshold
// respected, once per dip, again after a top-up) — each sent once even when the sweep or the
// condition repeats, none when the user turned the kind off, in the user's language, with text and
// HTML parts and links built from PUBLIC_URL. On both engines; what Stripe's subscription events
// and SQLite's query plan add: notifications.stripe.test.ts.
import { describe, expect, it } from 'vitest';
import { DAY, notificationsServer, PUBLIC_URL } from './notifications-support.ts';

const {
  mailbox,
  person,
  outbox,
  grant,
  sweep,
  chat,
  setCredits,
  balance: balanceOf,
} = notificationsServer();

describe('membership and trial ending (the scheduler sweep)', () => {
  it('mails once, in 3 days and not before, however often the sweep runs', async () => {
    const ann = await person();
    await grant(ann.userId, 'pro', 10, 'admin');
    const now = new Date();
    await sweep(now);
    expect(await outbox(ann.email, 'membership_ending')).toEqual([]); // 10 days out: too early
    // The sweep's clock 7 days ahead: the end is 3 days away. Run it again and again.
    const inWindow = new Date(now.getTime() + 7.5 * DAY);
    await sweep(inWindow);
    await sweep(inWindow);
    await sweep(new Date(inWindow.getTime() + 60_000));
    const rows = await outbox(ann.email, 'membership_ending');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.subject).toBe('Your Pro membership ends soon');
    expect(rows[0]?.text).toContain(`${PUBLIC_URL}/plans`);
  });

  it('reaches the mailbox once, with a text and an HTML part and links from PUBLIC_URL', async () => {
    const amy = await person();
    await grant(amy.userId, 'pro', 2, 'admin');
    await sweep(new Date(Date.now() - 2 * DAY)); // a day before the window opened: nothing
    expect(await outbox(amy.email, 'membership_ending')).toEqual([]);
    await sweep(new Date());
    await sweep(new Date());
    const mail = await mailbox.waitFor(amy.email);
    expect(mail.subject).toBe('Your Pro membership ends soon');
    expect(mail.text).toContain(`${PUBLIC_URL}/plans`);
    expect(mail.html).toContain(`href="${PUBLIC_URL}/plans"`);
    await new Promise((r) => setTimeout(r, 200));
    expect(mailbox.to(amy.email)).toHaveLength(1);
  });

  it('a trial is told as a trial, in the language the user chose', async () => {
    const bea = await person('zh-CN');
    await grant(bea.userId, 'pro', 2, 'trial');
    await sweep(new Date());
    await sweep(new Date());
    expect(await outbox(bea.email, 'trial_ending')).toHaveLength(1);
    expect(await outbox(bea.email, 'membership_ending')).toEqual([]);
    const mail = await mailbox.waitFor(bea.email);
    expect(mail.subject).toBe('您的 Pro 试用即将结束');
    expect(mail.text).toContain(`${PUBLIC_URL}/plans`);
  });

  it('an extended membership that ends again later is a new occurrence', async () => {
    const cai = await person();
    await grant(cai.userId, 'pro', 2, 'admin');
    await sweep(new Date());
    await grant(cai.userId, 'pro', 20, 'admin'); // ends in 22 days now: told again when it comes near
    await sweep(new Date(Date.now() + 20 * DAY));
    await sweep(new Date(Date.now() + 20 * DAY));
    expect(await outbox(cai.email, 'membership_ending')).toHaveLength(2);
  });

  it('sends nothing when the user turned it off', async () => {
    const dan = await person();
    const off = await dan.client.notifications.update.mutate({
      membershipEnding: false,
      trialEnding: false,
    });
    expect(off).toMatchObject({ membershipEnding: false, trialEnding: false, creditsLow: true });
    await grant(dan.userId, 'pro', 2, 'admin');
    await grant(dan.userId, 'enterprise', 1, 'trial');
    await sweep(new Date());
    expect(await outbox(dan.email, 'membership_ending')).toEqual([]);
    expect(await outbox(dan.email, 'trial_ending')).toEqual([]);
    // Turned back on while the end is still ahead: told then.
    await dan.client.notifications.update.mutate({ membershipEnding: true });
    await sweep(new Date());
    expect(await outbox(dan.email, 'membership_ending')).toHaveLength(1);
    expect(await outbox(dan.email, 'trial_ending')).toEqual([]);
  });
});

describe('credits low (after a charged answer)', () => {
  it('respects the threshold, mails once per dip, and again after a top-up', async () => {
    const eve = await person();
    await setCredits(eve.userId, 1_000_000);
    // Default threshold (100,000): far above it, nothing.
    await chat(eve.cookie());
    expect(await outbox(eve.email, 'credits_low')).toEqual([]);
    // A threshold just under the balance: the next charge crosses it.
    const settings = await eve.client.notifications.settings.query();
    expect(settings.creditsLowThreshold).toBe(100_000);
    const balance = () => balanceOf(eve.userId);
    await eve.client.notifications.update.mutate({ creditsLowThreshold: (await balance()) - 1 });
    await chat(eve.cookie());
    await chat(eve.cookie());
    expect(await outbox(eve.email, 'credits_low')).toHaveLength(1);
    const mail = await mailbox.waitFor(eve.email);
    expect(mail.subject).toBe('Your Tessera credits are running low');
    expect(mail.text).toContain(`${PUBLIC_URL}/usage`);
    // Credits come in (to just above the threshold), then run low again: a new occurrence.
    const { creditsLowThreshold } = await eve.client.notifications.settings.query();
    await setCredits(eve.userId, creditsLowThreshold + 10 - (await balance()), 'add');
    await chat(eve.cookie());
    expect(await outbox(eve.email, 'credits_low')).toHaveLength(2);
  });

  it('never tells a balance that was below the threshold all along (a small allowance)', async () => {
    const ken = await person();
    await setCredits(ken.userId, 50_000); // below the default 100,000 before any charge
    await chat(ken.cookie());
    await chat(ken.cookie());
    expect(await outbox(ken.email, 'credits_low')).toEqual([]);
  });

  it('sends nothing when turned off', async () => {
    const fay = await person();
    await setCredits(fay.userId, 1_000_000);
    await fay.client.notifications.update.mutate({
      creditsLow: false,
      creditsLowThreshold: 10_000_000,
    });
    await chat(fay.cookie());
    expect(await outbox(fay.email, 'credits_low')).toEqual([]);
  });
});
