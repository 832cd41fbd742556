// What the billing tests share: a real server on a random port whose Stripe is the fake on
// loopback (the real SDK between them), members signed up over tRPC, and plans and packs linked to
// the fake's prices by SQL (linking itself is tested with the CLI and the consoles). Fixtures go
// through `server.storage`, so every billing test runs on SQLite and on PostgreSQL.
import { TRPCClientError } from '@trpc/client';
import { afterEach, expect } from 'vitest';
import { type FakeStripe, startFakeStripe } from '../testing/fake-stripe/index.ts';
import {
  CookieFetch,
  STRONG_PASSWORD,
  startTestServer,
  type TestServer,
  trpcClient,
  verifyEmailInDb,
} from './harness.ts';

export interface BillingStart {
  /** false: no STRIPE_SECRET_KEY (the fake still runs, to show it is never called). */
  stripe?: boolean;
  secretKey?: string;
  publicUrl?: string;
}

/** Registers cleanup and returns the helpers; call `start()` first in each test. */
export function billingHarness() {
  let fake: FakeStripe | undefined;
  let server: TestServer | undefined;
  afterEach(async () => {
    await fake?.close();
    await server?.stop();
    fake = undefined;
    server = undefined;
  });
  // The run's engine (test-storage.ts): one fixture SQL for SQLite and PostgreSQL.
  const sql = <Row = Record<string, unknown>>(text: string, params: readonly unknown[] = []) =>
    server!.storage.sql<Row>(text, params);
  const plan = async (name: string) => {
    const [row] = await sql<{ id: string; key: string; tenant_id: string }>(
      'select id, key, tenant_id from plans where name = $1',
      [name],
    );
    return row!;
  };
  return {
    get fake() {
      return fake!;
    },
    get server() {
      return server!;
    },
    sql,
    plan,
    async start(options: BillingStart = {}) {
      fake = await startFakeStripe();
      server = await startTestServer({
        seedDemo: true,
        publicUrl: options.publicUrl,
        stripe:
          options.stripe === false
            ? { graceDays: 3 }
            : {
                secretKey: options.secretKey ?? fake.secretKey,
                apiBase: fake.url,
                webhookSecret: fake.webhookSecret,
                graceDays: 3,
              },
      });
      fake.webhookUrl = `${server.url}/api/stripe/webhook`;
    },
    async member(email: string) {
      const client = trpcClient(server!.url, new CookieFetch(server!.url));
      const { user } = await client.auth.signUp.mutate({ email, password: STRONG_PASSWORD });
      // As if the mailed link had been opened: checkout needs a verified address (decision 022).
      await verifyEmailInDb(server!, user.id);
      return { client, userId: user.id };
    },
    async linkPlan(name: string, priceId: string) {
      await sql('update plans set stripe_price_id = $1 where name = $2', [priceId, name]);
      return plan(name);
    },
    /** A fixed-term platform plan (30 days, paid once, 5 trial days) granting Pro. */
    async fixedTermPlan(priceId: string | null) {
      const now = Date.now();
      await sql(
        `insert into plans (id, tenant_id, mark_id, slug, key, name, price_minor, currency,
           interval, duration_days, trial_days, stripe_price_id, active, sort_order, created_at,
           updated_at)
         select 'plan_pass', 'platform', id, 'pro-pass', 'pro-pass', 'Pro 30-day pass', 2500,
           'usd', 'once', 30, 5, $1, true, 5, $2, $2 from marks where key = 'pro'`,
        [priceId, now],
      );
      return plan('Pro 30-day pass');
    },
    async pack(priceId: string | null, active = true) {
      const id = `pack_${Math.random().toString(36).slice(2, 10)}`;
      const now = Date.now();
      await sql(
        `insert into credit_packs (id, name, credits, price_minor, currency, stripe_price_id,
           active, created_at, updated_at) values ($1, 'Starter', 500, 300, 'usd', $2, $3, $4, $4)`,
        [id, priceId, active, now],
      );
      return id;
    },
    /** What the app asked the fake for, as the fake decoded it. */
    sessionsCreated: () =>
      fake!.requests.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions'),
    /** billing_customers, `created_at` as a number on either engine. */
    customerRows: async () =>
      (
        await sql<{ user_id: string; stripe_customer_id: string; created_at: number | string }>(
          'select user_id, stripe_customer_id, created_at from billing_customers',
        )
      ).map((row) => ({ ...row, created_at: Number(row.created_at) })),
  };
}

/** The typed refusal a call ended with (and that it carries no stack). */
export async function refusal(call: Promise<unknown>) {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  const data = (error as TRPCClientError<never>).data as unknown as {
    domainCode: string;
    httpStatus: number;
    details: Record<string, unknown> | null;
    stack?: string;
  };
  expect(data.stack).toBeUndefined();
  return { message: (error as Error).message, ...data };
}
