// Every loss of access is immediate, on every path: for each way a member can lose what a live
// answer relies on, an admin makes the change through the API while the answer streams, and the
// answer stops with the typed cut-off before the next chunk (at most one already in flight) — over
// the SPA's subscription (real SSE) and over /v1 (the official openai SDK). The vendor mark is held
// through a Stripe subscription (a signed webhook event), so its ending is one of the causes.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CookieFetch,
  chatStream,
  STRONG_PASSWORD,
  setCreditsInDb,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';
import { days, deliverAll, subscriptionObject, WEBHOOK_SECRET } from './stripe-support.ts';

type Admin = ReturnType<typeof trpcClient>;
interface World {
  admin: Admin;
  userId: string;
  vendorMarkId: string;
  /** Stripe deletes the subscription the vendor mark is held through (a signed webhook). */
  endSubscription(): Promise<void>;
}

interface Cause {
  name: string;
  /** The code the cut-off carries (upper case on the SPA, lower case on /v1). */
  code: string;
  /** A plugin the answer runs through (the SPA only: /v1 has no plugins). */
  plugin?: string;
  paths: readonly ('spa' | 'v1')[];
  apply(world: World): Promise<unknown>;
}

// The member holds Free (tessera-mini only) and Acme's "pro-api" mark, which alone grants
// tessera-plus, the summarize plugin and API access: every cause below takes one of those away.
const causes: Cause[] = [
  {
    name: "the mark's model list changes",
    code: 'MODEL_NOT_IN_PLAN',
    paths: ['spa', 'v1'],
    apply: (w) =>
      w.admin.admin.marks.update.mutate({
        tenantId: 'acme',
        markId: w.vendorMarkId,
        entitlements: { ...VENDOR_MARK, models: ['tessera-mini'] },
      }),
  },
  {
    name: 'a plugin is removed from the plan',
    code: 'FEATURE_NOT_IN_PLAN',
    plugin: 'summarize',
    paths: ['spa'],
    apply: (w) =>
      w.admin.admin.marks.update.mutate({
        tenantId: 'acme',
        markId: w.vendorMarkId,
        entitlements: { ...VENDOR_MARK, plugins: [] },
      }),
  },
  {
    name: "the vendor's ceiling is lowered",
    code: 'MODEL_NOT_IN_PLAN',
    paths: ['spa', 'v1'],
    apply: (w) =>
      w.admin.admin.vendors.setCeiling.mutate({
        tenantId: 'acme',
        ceiling: { ...ACME_CEILING, models: ['tessera-mini'] },
      }),
  },
  {
    name: 'the vendor is suspended',
    code: 'MODEL_NOT_IN_PLAN',
    paths: ['spa', 'v1'],
    apply: (w) => w.admin.admin.vendors.suspend.mutate({ tenantId: 'acme', reason: 'test' }),
  },
  {
    name: 'the user is disabled',
    code: 'ACCOUNT_DISABLED',
    paths: ['spa', 'v1'],
    apply: (w) => w.admin.admin.users.disable.mutate({ userId: w.userId, reason: 'test' }),
  },
  {
    name: 'the Stripe subscription ends',
    code: 'MODEL_NOT_IN_PLAN',
    paths: ['spa', 'v1'],
    apply: (w) => w.endSubscription(),
  },
  {
    name: 'API access is lost (the model is still allowed)',
    code: 'PLAN_REQUIRED',
    paths: ['v1'],
    apply: (w) =>
      w.admin.admin.marks.update.mutate({
        tenantId: 'acme',
        markId: w.vendorMarkId,
        entitlements: { ...VENDOR_MARK, apiAccess: false },
      }),
  },
];

const VENDOR_MARK = {
  models: ['tessera-plus'],
  plugins: ['summarize'],
  requestsPerDay: 100,
  requestsPerMonth: 1000,
  requestsPerMinute: 20,
  maxOutputTokens: 2048,
  apiAccess: true,
};
const ACME_CEILING = { ...VENDOR_MARK, models: ['tessera-mini', 'tessera-plus'], trialDays: 7 };

describe('every loss of access stops a live answer at the next chunk', () => {
  let server: TestServer;
  afterEach(() => server.stop());

  async function setup() {
    server = await startTestServer({
      seedDemo: true,
      demoTokensPerSecond: 40,
      stripe: { webhookSecret: WEBHOOK_SECRET, graceDays: 3 },
    });
    const adminBrowser = new CookieFetch(server.url);
    const admin = trpcClient(server.url, adminBrowser);
    await admin.auth.signUp.mutate({ email: 'admin@example.com', password: STRONG_PASSWORD });
    const memberBrowser = new CookieFetch(server.url);
    const viewer = await trpcClient(server.url, memberBrowser).auth.signUp.mutate({
      email: 'member@example.com',
      password: STRONG_PASSWORD,
    });
    const userId = viewer.user.id;
    await setCreditsInDb(server, userId, 10_000_000);
    await admin.admin.vendors.setCeiling.mutate({ tenantId: 'acme', ceiling: ACME_CEILING });
    const mark = await admin.vendor.marks.create.mutate({
      tenantId: 'acme',
      slug: 'pro-api',
      name: 'Acme Pro API',
      entitlements: VENDOR_MARK,
    });
    // The member subscribed to the mark's plan through Stripe: the webhook grants it.
    const plan = await admin.vendor.plans.create.mutate({
      tenantId: 'acme',
      markId: mark.id,
      fields: { name: 'Acme Pro API monthly', priceMinor: 900, currency: 'usd', interval: 'month' },
    });
    const start = Math.floor(Date.now() / 1000) - 60;
    const subscription = (status: string, endedAt: number | null) =>
      subscriptionObject({
        id: 'sub_loss',
        status,
        periodStart: start,
        periodEnd: start + days(30),
        endedAt,
        metadata: { plan: plan.key, tenant: 'acme', user: userId },
      });
    await deliverAll(server.url, [
      {
        id: 'evt_loss_created',
        type: 'customer.subscription.created',
        created: start,
        object: subscription('active', null),
      },
    ]);
    const endSubscription = () => {
      const now = Math.floor(Date.now() / 1000);
      return deliverAll(server.url, [
        {
          id: 'evt_loss_deleted',
          type: 'customer.subscription.deleted',
          created: now,
          object: subscription('canceled', now),
        },
      ]);
    };
    const cookie = [...memberBrowser.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const key = await server.storage.stores.members.createApiKey({
      userId,
      name: 'test',
      actorUserId: null,
      now: new Date(),
    });
    return {
      world: { admin, userId, vendorMarkId: mark.id, endSubscription },
      cookie,
      apiKey: key.key,
    };
  }

  for (const cause of causes.filter((c) => c.paths.includes('spa'))) {
    it(`SPA subscription: ${cause.name}`, async () => {
      const { world, cookie } = await setup();
      const input = {
        requestId: `loss-${Math.random().toString(36).slice(2)}`,
        model: cause.plugin ? 'tessera-mini' : 'tessera-plus',
        content: 'Tell me a long story about mosaics.',
        ...(cause.plugin ? { plugin: { id: cause.plugin } } : {}),
      };
      const done = new AbortController();
      let deltas = 0;
      let afterChange = 0;
      let change: Promise<unknown> | undefined;
      let changed = false;
      let cutOff: { code: string } | undefined;
      for await (const event of chatStream(server, cookie, input, done.signal)) {
        if (event.data.type === 'delta') {
          deltas++;
          if (changed) afterChange++;
          if (deltas === 2 && !change) {
            change = cause.apply(world).then(() => {
              changed = true;
            });
          }
        }
        if (event.data.type === 'cut_off') {
          cutOff = event.data.reason;
          break;
        }
        expect(event.data.type).not.toBe('done');
      }
      done.abort();
      await change;
      expect(cutOff?.code).toBe(cause.code);
      expect(afterChange).toBeLessThanOrEqual(1);
    });
  }

  for (const cause of causes.filter((c) => c.paths.includes('v1'))) {
    it(`/v1: ${cause.name}`, async () => {
      const { world, apiKey } = await setup();
      const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey, maxRetries: 0 });
      const stream = await client.chat.completions.create({
        model: 'tessera-plus',
        messages: [{ role: 'user', content: 'Tell me a long story about mosaics.' }],
        stream: true,
      });
      let chunks = 0;
      let afterChange = 0;
      let changed = false;
      let change: Promise<unknown> | undefined;
      const error = await (async () => {
        for await (const chunk of stream) {
          if (!chunk.choices[0]?.delta?.content) continue;
          chunks++;
          if (changed) afterChange++;
          if (chunks === 2 && !change) {
            change = cause.apply(world).then(() => {
              changed = true;
            });
          }
        }
      })().catch((e: unknown) => e);
      await change;
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error).toMatchObject({ type: 'cut_off', code: cause.code.toLowerCase() });
      expect(afterChange).toBeLessThanOrEqual(1);
    });
  }
});
