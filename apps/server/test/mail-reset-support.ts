// What the password-reset mail tests share (mail.password-reset*.test.ts): an app with a mail
// sender and its own clock on the run's database (test-storage.ts: SQLite, or PostgreSQL with
// TEST_ENGINE=postgres), browser tabs from their own networks, and the outbox as stored.
import type { AppRouter } from '@tessera/api';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { expect } from 'vitest';
import { type RunningApp, startApp } from '../src/app.ts';
import type { AppConfig } from '../src/config.ts';
import { CookieFetch, fakeWebDist, STRONG_PASSWORD } from './harness.ts';
import { openTestStorage, type TestStorage } from './test-storage.ts';

export const MINUTE = 60_000;
export const NEW_PASSWORD = 'a-brand-new-passphrase-9';
export const PUBLIC_URL = 'http://chat.tessera.test:8080';

export interface Started {
  app: RunningApp;
  /** The app's database, on the run's engine. */
  storage: TestStorage;
  /** The app's clock runs with real time (the sender loop waits for real), plus `skip`. */
  clock: { skip: number };
}

export async function start(mail: Partial<AppConfig['mail']>): Promise<Started> {
  const storage = await openTestStorage();
  const clock = { skip: 0 };
  const app = await startApp(
    {
      host: '127.0.0.1',
      port: 0,
      ...storage.config,
      webDistDir: fakeWebDist(),
      publicUrl: PUBLIC_URL,
      trustedOrigins: [],
      trustProxy: true, // each test names its own network with X-Forwarded-For
      mail: {
        from: 'Tessera <no-reply@tessera.test>',
        pollMs: 20,
        policy: { maxAttempts: 3, retryBaseMs: 50, leaseMs: MINUTE },
        ...mail,
      },
    },
    { now: () => new Date(Date.now() + clock.skip) },
  ).catch(async (error: unknown) => {
    await storage.close();
    throw error;
  });
  return { app, storage, clock };
}

export async function stop(s: Started) {
  await s.app.close();
  await s.storage.close();
}

let networks = 0;
/** A browser tab on the app, from its own network (so throttling of one test spares the rest). */
export function tab(app: RunningApp, ip = `198.51.100.${++networks}`) {
  const browser = new CookieFetch(PUBLIC_URL);
  const client = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${app.url}/trpc`,
        fetch: browser.fetch,
        headers: { 'x-forwarded-for': ip },
      }),
    ],
  });
  return { browser, client };
}

export async function signUp(app: RunningApp, email: string, locale?: 'en' | 'zh-CN') {
  const t = tab(app);
  await t.client.auth.signUp.mutate({ email, password: STRONG_PASSWORD, locale });
  return t;
}

export async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return (error as TRPCClientError<AppRouter>).data as {
    domainCode?: string;
    retryAfterSeconds?: number | null;
    details?: Record<string, unknown>;
  };
}

/** The reset mails to `to` as the outbox stores them. */
export async function outboxRows(s: Started, to: string) {
  const rows = await s.storage.sql<{
    status: string;
    attempts: number | string;
    last_error: string | null;
    text: string;
  }>(
    // Sign-up mails a verification link too (decision 022): only the reset mails count here.
    `select status, attempts, last_error, text from mail_outbox
     where "to" = $1 and template = 'password_reset'`,
    [to],
  );
  return rows.map((row) => ({ ...row, attempts: Number(row.attempts) }));
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 5000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
