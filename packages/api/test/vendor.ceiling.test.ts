// A vendor sells only what the platform delegates: the ceiling is checked when marks, plans and
// assistants are written (field errors name what is over) and applied again when a member's
// entitlements are built, so lowering it or suspending the vendor takes effect on the next request.
import { afterEach, describe, expect, it } from 'vitest';
import { entitlementsSchema } from '../src/domain/entitlements/entitlements.ts';
import {
  ceilingSchema,
  ceilingViolations,
  clampToCeiling,
  NO_CEILING,
} from '../src/domain/tenancy/ceiling.ts';
import { type Browser, type EngineTestApi, openTestApi, signedUp } from './harness.ts';
import { creditAccount, rowCount } from './money-fixtures.ts';

let api: EngineTestApi;
afterEach(() => api?.destroy());

/** The attack from the issue: Enterprise-level access and 50M credits a day, with a 30-day trial. */
const GREEDY = {
  models: ['tessera-ultra'],
  apiAccess: true,
  requestsPerDay: null,
  refill: {
    amount: 50_000_000,
    every: { value: 1, unit: 'day' as const },
    strategy: 'reset' as const,
    mode: 'scheduled' as const,
  },
};

async function world() {
  api = await openTestApi({ seedDemo: true });
  const root = await signedUp(api, 'root@example.com'); // the first account: platform owner
  const owner = await signedUp(api, 'owner@example.com');
  const member = await signedUp(api, 'member@example.com');
  const admin = api.caller(root.browser);
  const tenant = await admin.admin.vendors.create({
    slug: 'shady',
    name: 'Shady',
    ownerEmail: 'owner@example.com',
  });
  return { admin, vendor: api.caller(owner.browser), member, tenantId: tenant.id };
}

async function fieldErrorsOf(promise: Promise<unknown>): Promise<Record<string, string[]>> {
  const error = (await promise.then(
    () => null,
    (e: unknown) => e,
  )) as { cause?: { code?: string; details?: { fieldErrors?: Record<string, string[]> } } };
  expect(error?.cause?.code).toBe('VALIDATION');
  return error.cause?.details?.fieldErrors ?? {};
}

describe('the ceiling as pure functions', () => {
  const e = (input: object) => entitlementsSchema.parse(input);

  it('names every field that is over, and nothing when within', () => {
    const ceiling = ceilingSchema.parse({
      models: ['tessera-mini'],
      requestsPerDay: 100,
      refill: {
        amount: 1000,
        every: { value: 1, unit: 'day' },
        strategy: 'reset',
        mode: 'scheduled',
      },
    });
    expect(
      ceilingViolations(e({ models: ['tessera-mini'], requestsPerDay: 100 }), ceiling),
    ).toEqual({});
    const over = ceilingViolations(
      e({
        models: ['tessera-mini', 'tessera-ultra'],
        requestsPerDay: null,
        apiAccess: true,
        refill: {
          amount: 500,
          every: { value: 1, unit: 'hour' },
          strategy: 'reset',
          mode: 'scheduled',
        },
      }),
      ceiling,
    );
    expect(over).toEqual({
      'entitlements.models': ['OVER_CEILING:tessera-ultra'],
      'entitlements.requestsPerDay': ['OVER_CEILING:unlimited'],
      'entitlements.apiAccess': ['OVER_CEILING:apiAccess'],
      // 500 an hour is 12,000 a day: within the amount, over the ceiling's rate.
      'entitlements.refill.every': ['OVER_CEILING:500 per 1 hour'],
    });
  });

  it('clamps lists, numbers, flags and refills to the ceiling', () => {
    const ceiling = ceilingSchema.parse({
      models: ['tessera-mini'],
      requestsPerDay: 10,
      refill: {
        amount: 700,
        every: { value: 1, unit: 'week' },
        strategy: 'reset',
        mode: 'scheduled',
      },
    });
    const clamped = clampToCeiling(
      e({
        models: ['tessera-mini', 'tessera-ultra'],
        requestsPerDay: null,
        apiAccess: true,
        fallbackModel: 'tessera-ultra',
        refill: {
          amount: 1000,
          every: { value: 1, unit: 'day' },
          strategy: 'reset',
          mode: 'scheduled',
        },
      }),
      ceiling,
    );
    expect(clamped).toMatchObject({
      models: ['tessera-mini'],
      requestsPerDay: 10,
      apiAccess: false,
      fallbackModel: null,
      refill: { amount: 100 }, // 700 a week is 100 a day
    });
    expect(clampToCeiling(e(GREEDY), NO_CEILING)).toMatchObject({
      models: [],
      apiAccess: false,
      requestsPerDay: 0,
      refill: null,
    });
  });
});

describe('a vendor within its ceiling', () => {
  it("refuses the issue's greedy mark and trial under a new vendor's default ceiling, writing nothing", async () => {
    const { vendor, tenantId } = await world();
    const markCount = () => rowCount(api, 'marks');
    const before = await markCount();
    const errors = await fieldErrorsOf(
      vendor.vendor.marks.create({ tenantId, slug: 'ultra', name: 'Ultra', entitlements: GREEDY }),
    );
    expect(errors).toEqual({
      'entitlements.models': ['OVER_CEILING:tessera-ultra'],
      'entitlements.requestsPerDay': ['OVER_CEILING:unlimited'],
      'entitlements.apiAccess': ['OVER_CEILING:apiAccess'],
      'entitlements.refill': ['OVER_CEILING:refill'],
    });
    expect(await markCount()).toEqual(before);

    // A mark of its own that grants nothing of the platform's is fine; a trial on it is not.
    const mark = await vendor.vendor.marks.create({
      tenantId,
      slug: 'fan',
      name: 'Fan',
      entitlements: {},
    });
    expect(
      await fieldErrorsOf(
        vendor.vendor.plans.create({
          tenantId,
          markId: mark.id,
          fields: {
            name: 'Fan',
            priceMinor: 100,
            currency: 'usd',
            interval: 'month',
            trialDays: 30,
          },
        }),
      ),
    ).toEqual({ 'fields.trialDays': ['OVER_CEILING:30'] });
    expect(
      await fieldErrorsOf(
        vendor.vendor.assistants.create({
          tenantId,
          fields: { name: 'Bot', systemPrompt: 'Hi', modelId: 'tessera-mini', markId: mark.id },
        }),
      ),
    ).toEqual({ 'fields.modelId': ['OVER_CEILING:tessera-mini'] });
  });

  it('accepts what the admin delegated, refuses an update above it, and leaves the mark as it was', async () => {
    const { admin, vendor, tenantId } = await world();
    await admin.admin.vendors.setCeiling({
      tenantId,
      ceiling: { models: ['tessera-plus'], requestsPerDay: 50, trialDays: 7 },
    });
    const mark = await vendor.vendor.marks.create({
      tenantId,
      slug: 'plus',
      name: 'Plus',
      entitlements: { models: ['tessera-plus'], requestsPerDay: 50 },
    });
    expect(
      await fieldErrorsOf(
        vendor.vendor.marks.update({
          tenantId,
          markId: mark.id,
          entitlements: { models: ['tessera-plus'], requestsPerDay: 51 },
        }),
      ),
    ).toEqual({ 'entitlements.requestsPerDay': ['OVER_CEILING:51'] });
    const [stored] = await vendor.vendor.marks.list({ tenantId });
    expect(stored?.entitlements.requestsPerDay).toBe(50);
    // The platform admin editing the vendor's mark is bound by the same ceiling.
    await expect(
      admin.admin.marks.update({
        tenantId,
        markId: mark.id,
        entitlements: { models: ['tessera-ultra'] },
      }),
    ).rejects.toMatchObject({ cause: { code: 'VALIDATION' } });
  });

  it("lowers a member's entitlements on the next request when the ceiling drops, and takes everything while suspended", async () => {
    const { admin, vendor, member, tenantId } = await world();
    await admin.admin.vendors.setCeiling({
      tenantId,
      ceiling: { models: ['tessera-plus'], plugins: ['summarize'], requestsPerDay: 50 },
    });
    const mark = await vendor.vendor.marks.create({
      tenantId,
      slug: 'plus',
      name: 'Plus',
      entitlements: { models: ['tessera-plus'], plugins: ['summarize'], requestsPerDay: 50 },
    });
    await admin.admin.memberships.grant({
      userId: member.viewer.user.id,
      markId: mark.id,
      days: 30,
    });
    const mine = () => api.caller(member.browser as Browser).membership.mine();
    expect((await mine()).entitlements.models).toContain('tessera-plus');

    await admin.admin.vendors.setCeiling({ tenantId, ceiling: { plugins: ['summarize'] } });
    const lowered = (await mine()).entitlements;
    expect(lowered.models).not.toContain('tessera-plus');
    expect(lowered.plugins).toContain('summarize');

    await admin.admin.vendors.suspend({ tenantId, reason: 'abuse' });
    expect((await mine()).entitlements.plugins).not.toContain('summarize');
    expect((await admin.admin.vendors.list()).find((v) => v.id === tenantId)).toMatchObject({
      suspendedReason: 'abuse',
    });
    // Nothing was deleted: reinstating gives back what the ceiling allows.
    await admin.admin.vendors.reinstate({ tenantId });
    expect((await mine()).entitlements.plugins).toContain('summarize');
    const actions = (
      await api.sql<{ action: string }>(
        "select action from audit_events where action like 'vendor.%' order by id",
      )
    ).map((r) => r.action);
    expect(actions).toEqual([
      'vendor.created',
      'vendor.ceiling_set',
      'vendor.ceiling_set',
      'vendor.suspended',
      'vendor.reinstated',
    ]);
  });

  it("never refills a vendor mark's holders beyond the ceiling, and not at all while suspended", async () => {
    const { admin, vendor, member, tenantId } = await world();
    const refill = {
      amount: 1000,
      every: { value: 1, unit: 'day' },
      strategy: 'reset',
      mode: 'scheduled',
    } as const;
    await admin.admin.vendors.setCeiling({ tenantId, ceiling: { refill } });
    const mark = await vendor.vendor.marks.create({
      tenantId,
      slug: 'credits',
      name: 'Credits',
      entitlements: { refill },
    });
    await admin.admin.memberships.grant({
      userId: member.viewer.user.id,
      markId: mark.id,
      days: 30,
    });
    await admin.admin.vendors.setCeiling({
      tenantId,
      ceiling: { refill: { ...refill, amount: 300 } },
    });
    const balance = async () => (await creditAccount(api, member.viewer.user.id))!.balance;
    const empty = () =>
      api.sql('update credit_accounts set balance = 0 where user_id = $1', [member.viewer.user.id]);
    const refillAll = () =>
      api.stores.money.runScheduledRefills({
        trigger: 'admin',
        now: api.clock.now,
        timeZone: 'UTC',
      });
    await empty();
    await refillAll();
    expect(await balance()).toBe(300); // reset to the ceiling's 300, not the mark's 1,000

    await admin.admin.vendors.suspend({ tenantId });
    api.clock.advance(2 * 86_400_000);
    await empty();
    await refillAll();
    expect(await balance()).toBe(0);
  });

  it('refuses ids outside the catalog on platform marks and in a ceiling, with field errors', async () => {
    const { admin, tenantId } = await world();
    expect(
      await fieldErrorsOf(
        admin.admin.marks.create({
          slug: 'typo',
          name: 'Typo',
          entitlements: { models: ['tessera-mini', 'gpt-99'], plugins: ['mind-reading'] },
        }),
      ),
    ).toEqual({
      'entitlements.models': ['UNKNOWN_MODEL:gpt-99'],
      'entitlements.plugins': ['UNKNOWN_PLUGIN:mind-reading'],
    });
    expect(
      await fieldErrorsOf(
        admin.admin.vendors.setCeiling({ tenantId, ceiling: { models: ['gpt-99'] } }),
      ),
    ).toEqual({ 'ceiling.models': ['UNKNOWN_MODEL:gpt-99'] });
  });

  it("lets a platform admin open any vendor's console, and nobody else", async () => {
    const { admin, member, tenantId } = await world();
    const vendors = await admin.vendor.mine();
    expect(vendors.find((v) => v.id === tenantId)).toMatchObject({ viaPlatform: true });
    expect(await admin.vendor.subscribers.list({ tenantId })).toEqual([]);
    await expect(
      api.caller(member.browser as Browser).vendor.marks.list({ tenantId }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
