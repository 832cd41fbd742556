// Notifications by mail (issue 14, decision 025), with a real SMTP server on loopback receiving
// them: membership ending and trial ending from the scheduler's sweep (its clock injected, so the
// 3-day window is tested without waiting), credits low after a charged answer (threshold
// respected, once per dip, again after a top-up), a failed Stripe payment (once per invoice
// however often Stripe retries) — each sent once even when the sweep or the condition repeats,
// none when the user turned the kind off, in the user's language, with text and HTML parts and
// links built from PUBLIC_URL.
import {
  adjustCredits,
  ENDING_MEMBERSHIPS_SQL,
  ENDING_WINDOW_MS,
  getMarkByKey,
  grantMark,
  sweepEndingMemberships,
} from '@tessera/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CookieFetch,
  chatStream,
  STRONG_PASSWORD,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';
import { Mailbox } from './mail-support.ts';
import {
  days,
  deliverAll,
  invoiceObject,
  subscriptionObject,
  WEBHOOK_SECRET,
} from './stripe-support.ts';

const PUBLIC_URL = 'http://chat.tessera.test:8080';
const DAY = 24 * 60 * 60_000;

// Sign-up's verification mails are not what this suite reads.
const mailbox = new Mailbox({ ignoreLinks: ['verify-email'] });
let server: TestServer;

beforeAll(async () => {
  await mailbox.start();
  server = await startTestServer({
    seedDemo: true,
    demoTokensPerSecond: 2000,
    publicUrl: PUBLIC_URL,
    stripe: { webhookSecret: WEBHOOK_SECRET, graceDays: 3 },
    mail: {
      smtpUrl: mailbox.url,
      from: 'Tessera <no-reply@tessera.test>',
      pollMs: 20,
      policy: { maxAttempts: 3, retryBaseMs: 50, leaseMs: 60_000 },
    },
  });
  // The first account is the platform owner; every test below uses accounts of its own.
  await trpcClient(server.url, new CookieFetch(PUBLIC_URL)).auth.signUp.mutate({
    email: 'owner@example.com',
    password: STRONG_PASSWORD,
  });
});
afterAll(async () => {
  await server.stop();
  await mailbox.stop();
});

let people = 0;
async function person(locale?: 'en' | 'zh-CN') {
  people += 1;
  const email = `person${people}@example.com`;
  const browser = new CookieFetch(PUBLIC_URL);
  const client = trpcClient(server.url, browser);
  const viewer = await client.auth.signUp.mutate({ email, password: STRONG_PASSWORD, locale });
  const cookie = () => [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return { userId: viewer.user.id, email, client, cookie };
}

/** Outbox rows of one template to one address (what the sweep or the charge enqueued). */
function outbox(to: string, template: string) {
  return server.database.sqlite
    .prepare('select id, subject, text from mail_outbox where "to" = ? and template = ?')
    .all(to, template) as { id: string; subject: string; text: string }[];
}

function grant(userId: string, markKey: string, daysLeft: number, source: 'admin' | 'trial') {
  return grantMark(server.database.db, {
    userId,
    markId: getMarkByKey(server.database.db, markKey).id,
    days: daysLeft,
    source,
    actorUserId: null,
    now: new Date(),
  });
}

const sweep = (now: Date) =>
  sweepEndingMemberships(server.database.db, { now, baseUrl: PUBLIC_URL, timeZone: 'UTC' });

async function chat(cookie: string) {
  const done = new AbortController();
  const input = {
    requestId: `n-${Math.random().toString(36).slice(2)}`,
    model: 'tessera-mini',
    content: 'Tell me about mosaics.',
  };
  let charged = 0;
  for await (const event of chatStream(server, cookie, input, done.signal)) {
    if (event.data.type === 'done') {
      charged = event.data.charged ?? 0;
      break;
    }
  }
  done.abort();
  expect(charged).toBeGreaterThan(0);
}

function setCredits(userId: string, amount: number, mode: 'set' | 'add' = 'set') {
  adjustCredits(server.database.db, {
    userId,
    mode,
    amount,
    reason: 'test funds',
    actorUserId: null,
    now: new Date(),
  });
}

describe('membership and trial ending (the scheduler sweep)', () => {
  it('mails once, in 3 days and not before, however often the sweep runs', async () => {
    const ann = await person();
    grant(ann.userId, 'pro', 10, 'admin');
    const now = new Date();
    sweep(now);
    expect(outbox(ann.email, 'membership_ending')).toEqual([]); // 10 days out: too early
    // The sweep's clock 7 days ahead: the end is 3 days away. Run it again and again.
    const inWindow = new Date(now.getTime() + 7.5 * DAY);
    sweep(inWindow);
    sweep(inWindow);
    sweep(new Date(inWindow.getTime() + 60_000));
    const rows = outbox(ann.email, 'membership_ending');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.subject).toBe('Your Pro membership ends soon');
    expect(rows[0]?.text).toContain(`${PUBLIC_URL}/plans`);
  });

  it('reaches the mailbox once, with a text and an HTML part and links from PUBLIC_URL', async () => {
    const amy = await person();
    grant(amy.userId, 'pro', 2, 'admin');
    sweep(new Date(Date.now() - 2 * DAY)); // a day before the window opened: nothing
    expect(outbox(amy.email, 'membership_ending')).toEqual([]);
    sweep(new Date());
    sweep(new Date());
    const mail = await mailbox.waitFor(amy.email);
    expect(mail.subject).toBe('Your Pro membership ends soon');
    expect(mail.text).toContain(`${PUBLIC_URL}/plans`);
    expect(mail.html).toContain(`href="${PUBLIC_URL}/plans"`);
    await new Promise((r) => setTimeout(r, 200));
    expect(mailbox.to(amy.email)).toHaveLength(1);
  });

  it('a trial is told as a trial, in the language the user chose', async () => {
    const bea = await person('zh-CN');
    grant(bea.userId, 'pro', 2, 'trial');
    sweep(new Date());
    sweep(new Date());
    expect(outbox(bea.email, 'trial_ending')).toHaveLength(1);
    expect(outbox(bea.email, 'membership_ending')).toEqual([]);
    const mail = await mailbox.waitFor(bea.email);
    expect(mail.subject).toBe('您的 Pro 试用即将结束');
    expect(mail.text).toContain(`${PUBLIC_URL}/plans`);
  });

  it('an extended membership that ends again later is a new occurrence', async () => {
    const cai = await person();
    grant(cai.userId, 'pro', 2, 'admin');
    sweep(new Date());
    grant(cai.userId, 'pro', 20, 'admin'); // ends in 22 days now: told again when it comes near
    sweep(new Date(Date.now() + 20 * DAY));
    sweep(new Date(Date.now() + 20 * DAY));
    expect(outbox(cai.email, 'membership_ending')).toHaveLength(2);
  });

  it('sends nothing when the user turned it off', async () => {
    const dan = await person();
    const off = await dan.client.notifications.update.mutate({
      membershipEnding: false,
      trialEnding: false,
    });
    expect(off).toMatchObject({ membershipEnding: false, trialEnding: false, creditsLow: true });
    grant(dan.userId, 'pro', 2, 'admin');
    grant(dan.userId, 'enterprise', 1, 'trial');
    sweep(new Date());
    expect(outbox(dan.email, 'membership_ending')).toEqual([]);
    expect(outbox(dan.email, 'trial_ending')).toEqual([]);
    // Turned back on while the end is still ahead: told then.
    await dan.client.notifications.update.mutate({ membershipEnding: true });
    sweep(new Date());
    expect(outbox(dan.email, 'membership_ending')).toHaveLength(1);
    expect(outbox(dan.email, 'trial_ending')).toEqual([]);
  });

  it('a Stripe subscription that renews by itself is not ending; one set to cancel is', async () => {
    const ivy = await person();
    const start = Math.floor(Date.now() / 1000) - days(28);
    const subscription = (cancelAtPeriodEnd: boolean, n: number) => ({
      id: `evt_renew_${n}`,
      type: 'customer.subscription.updated',
      created: start + n,
      object: subscriptionObject({
        id: 'sub_renews',
        status: 'active',
        periodStart: start,
        periodEnd: start + days(30),
        cancelAtPeriodEnd,
        metadata: { plan: 'pro-monthly', tenant: 'platform', user: ivy.userId },
      }),
    });
    await deliverAll(server.url, [subscription(false, 1)]);
    // Within 3 days of its end (period end + 3 days' grace, 5 days away), yet it renews: nothing.
    sweep(new Date(Date.now() + 3 * DAY));
    expect(outbox(ivy.email, 'membership_ending')).toEqual([]);
    await deliverAll(server.url, [subscription(true, 2)]);
    sweep(new Date(Date.now() + DAY));
    expect(outbox(ivy.email, 'membership_ending')).toHaveLength(1);
  });

  it('walks the partial index of active memberships with an end, over a 3-day window', () => {
    expect(ENDING_WINDOW_MS).toBe(3 * DAY);
    const plan = server.database.sqlite
      .prepare(`explain query plan ${ENDING_MEMBERSHIPS_SQL}`)
      .all(0, ENDING_WINDOW_MS, 500) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(
      /SEARCH m USING INDEX memberships_active_expiry_idx/,
    );
  });
});

describe('credits low (after a charged answer)', () => {
  it('respects the threshold, mails once per dip, and again after a top-up', async () => {
    const eve = await person();
    setCredits(eve.userId, 1_000_000);
    // Default threshold (100,000): far above it, nothing.
    await chat(eve.cookie());
    expect(outbox(eve.email, 'credits_low')).toEqual([]);
    // A threshold just under the balance: the next charge crosses it.
    const settings = await eve.client.notifications.settings.query();
    expect(settings.creditsLowThreshold).toBe(100_000);
    const balance = () =>
      (
        server.database.sqlite
          .prepare('select balance from credit_accounts where user_id = ?')
          .get(eve.userId) as { balance: number }
      ).balance;
    await eve.client.notifications.update.mutate({ creditsLowThreshold: balance() - 1 });
    await chat(eve.cookie());
    await chat(eve.cookie());
    expect(outbox(eve.email, 'credits_low')).toHaveLength(1);
    const mail = await mailbox.waitFor(eve.email);
    expect(mail.subject).toBe('Your Tessera credits are running low');
    expect(mail.text).toContain(`${PUBLIC_URL}/usage`);
    // Credits come in (to just above the threshold), then run low again: a new occurrence.
    const { creditsLowThreshold } = await eve.client.notifications.settings.query();
    setCredits(eve.userId, creditsLowThreshold + 10 - balance(), 'add');
    await chat(eve.cookie());
    expect(outbox(eve.email, 'credits_low')).toHaveLength(2);
  });

  it('never tells a balance that was below the threshold all along (a small allowance)', async () => {
    const ken = await person();
    setCredits(ken.userId, 50_000); // below the default 100,000 before any charge
    await chat(ken.cookie());
    await chat(ken.cookie());
    expect(outbox(ken.email, 'credits_low')).toEqual([]);
  });

  it('sends nothing when turned off', async () => {
    const fay = await person();
    setCredits(fay.userId, 1_000_000);
    await fay.client.notifications.update.mutate({
      creditsLow: false,
      creditsLowThreshold: 10_000_000,
    });
    await chat(fay.cookie());
    expect(outbox(fay.email, 'credits_low')).toEqual([]);
  });
});

describe('a failed payment (Stripe invoice.payment_failed)', () => {
  const start = Math.floor(Date.now() / 1000) - 60;
  const events = (userId: string, n: number) => {
    const sub = `sub_fail_${n}`;
    const object = (status: string) =>
      subscriptionObject({
        id: sub,
        status,
        periodStart: start,
        periodEnd: start + days(30),
        metadata: { plan: 'pro-monthly', tenant: 'platform', user: userId },
      });
    const failed = (id: string, at: number) => ({
      id,
      type: 'invoice.payment_failed',
      created: at,
      object: {
        ...invoiceObject({ id: `in_fail_${n}`, subscription: sub, amountPaid: 0, paidAt: at }),
        status_transitions: { paid_at: null },
      },
    });
    return [
      {
        id: `evt_fail_${n}_0`,
        type: 'customer.subscription.created',
        created: start,
        object: object('active'),
      },
      // Stripe retries the invoice: each retry is a new event about the same invoice.
      failed(`evt_fail_${n}_1`, start + 10),
      failed(`evt_fail_${n}_2`, start + 20),
    ];
  };

  it('mails once per invoice, however many retries fail', async () => {
    const gus = await person();
    await deliverAll(server.url, events(gus.userId, 1), { times: 2 });
    expect(outbox(gus.email, 'payment_failed')).toHaveLength(1);
    const mail = await mailbox.waitFor(gus.email);
    expect(mail.subject).toBe('A payment for your Tessera plan failed');
    expect(mail.text).toContain(`${PUBLIC_URL}/account`);
  });

  it('sends nothing when turned off', async () => {
    const hal = await person();
    await hal.client.notifications.update.mutate({ paymentFailed: false });
    await deliverAll(server.url, events(hal.userId, 2));
    expect(outbox(hal.email, 'payment_failed')).toEqual([]);
  });
});
