// What the mail notification tests share (notifications.*.test.ts): a server with a real SMTP
// server on loopback, and fixtures through the run's storage (either engine).
import { adjustCreditsThrough } from '@tessera/api';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  CookieFetch,
  chatStream,
  STRONG_PASSWORD,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';
import { Mailbox } from './mail-support.ts';
import { WEBHOOK_SECRET } from './stripe-support.ts';

export const PUBLIC_URL = 'http://chat.tessera.test:8080';
export const DAY = 24 * 60 * 60_000;

/** Starts the server for the file's suites (beforeAll) and returns what its tests use. */
export function notificationsServer() {
  // Sign-up's verification mails are not what these suites read.
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
    // The first account is the platform owner; every test uses accounts of its own.
    await trpcClient(server.url, new CookieFetch(PUBLIC_URL)).auth.signUp.mutate({
      email: 'owner@example.com',
      password: STRONG_PASSWORD,
    });
  });
  afterAll(async () => {
    await server?.stop();
    await mailbox.stop();
  });

  let people = 0;
  const stores = () => server.storage.stores;
  return {
    mailbox,
    server: () => server,

    async person(locale?: 'en' | 'zh-CN') {
      people += 1;
      const email = `person${people}@example.com`;
      const browser = new CookieFetch(PUBLIC_URL);
      const client = trpcClient(server.url, browser);
      const viewer = await client.auth.signUp.mutate({ email, password: STRONG_PASSWORD, locale });
      const cookie = () => [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ');
      return { userId: viewer.user.id, email, client, cookie };
    },

    /** Outbox rows of one template to one address (what the sweep or the charge enqueued). */
    outbox(to: string, template: string) {
      return server.storage.sql<{ id: string; subject: string; text: string }>(
        'select id, subject, text from mail_outbox where "to" = $1 and template = $2',
        [to, template],
      );
    },

    async grant(userId: string, markKey: string, daysLeft: number, source: 'admin' | 'trial') {
      await stores().members.grantMark({
        userId,
        markId: (await stores().catalog.getMarkByKey(markKey)).id,
        days: daysLeft,
        source,
        actorUserId: null,
        now: new Date(),
      });
    },

    async sweep(now: Date) {
      await stores().ops.sweepEndingMemberships({ now, baseUrl: PUBLIC_URL, timeZone: 'UTC' });
    },

    async chat(cookie: string) {
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
    },

    async setCredits(userId: string, amount: number, mode: 'set' | 'add' = 'set') {
      await adjustCreditsThrough((move) => stores().money.moveCredits(move), {
        userId,
        mode,
        amount,
        reason: 'test funds',
        actorUserId: null,
        now: new Date(),
      });
    },

    async balance(userId: string) {
      const [row] = await server.storage.sql<{ balance: number | string }>(
        'select balance from credit_accounts where user_id = $1',
        [userId],
      );
      return Number(row?.balance);
    },
  };
}
