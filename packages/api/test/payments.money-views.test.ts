// The money views: revenue over a range in the platform's time zone (net of refunds, one figure per
// currency, purchases per kind, each payment in the local day it was paid) and active
// subscriptions per plan — for the platform admin across every tenant, for a vendor only its own.
import type { PaymentKind } from '@tessera/db';
import { afterEach, describe, expect, it } from 'vitest';
import { demoIds, type EngineTestApi, openTestApi, signedUp } from './harness.ts';

let api: EngineTestApi;
afterEach(() => api.destroy());

// 08:00 in New York (EDT since 8 March 2026). "The last 30 days" are 14 February – 15 March local.
const NOW = new Date('2026-03-15T12:00:00Z');
const ZONE = 'America/New_York';

async function world() {
  api = await openTestApi({ seedDemo: true, start: NOW, timeZone: ZONE });
  const root = await signedUp(api, 'root@example.com');
  const acmeOwner = await signedUp(api, 'acme@example.com');
  const betaOwner = await signedUp(api, 'beta@example.com');
  const member = await signedUp(api, 'member@example.com');
  const staff = await signedUp(api, 'staff@example.com');
  const admin = api.caller(root.browser);
  await admin.admin.vendors.setOwner({ tenantId: 'acme', email: 'acme@example.com' });
  await admin.admin.vendors.addMember({
    tenantId: 'acme',
    email: 'staff@example.com',
    role: 'staff',
  });
  const beta = await admin.admin.vendors.create({
    slug: 'beta',
    name: 'Beta',
    ownerEmail: 'beta@example.com',
  });
  const betaCaller = api.caller(betaOwner.browser);
  const betaMark = await betaCaller.vendor.marks.create({
    tenantId: beta.id,
    slug: 'gold',
    name: 'Gold',
    entitlements: {},
  });
  const betaPlan = await betaCaller.vendor.plans.create({
    tenantId: beta.id,
    markId: betaMark.id,
    fields: { name: 'Beta Gold', priceMinor: 900, currency: 'jpy', interval: 'month' },
  });
  const ids = await demoIds(api);
  return {
    admin,
    acme: api.caller(acmeOwner.browser),
    beta: betaCaller,
    member: api.caller(member.browser),
    staff: api.caller(staff.browser),
    buyer: member.viewer.user.id,
    betaId: beta.id,
    plans: {
      proMonthly: ids.plans['Pro monthly']!,
      acmeWriter: ids.plans['Acme Writer']!,
      betaGold: betaPlan.id,
    },
    marks: { pro: ids.marks.pro!, acme: ids.marks['acme:writer']!, beta: betaMark.id },
  };
}

type World = Awaited<ReturnType<typeof world>>;

async function pay(
  w: World,
  id: string,
  p: {
    kind: PaymentKind;
    tenantId: string;
    planId?: string;
    packId?: string;
    amountMinor: number;
    currency: string;
    refundedMinor?: number;
    paidAt: string;
  },
) {
  await api.sql(
    `insert into payments (id, user_id, kind, tenant_id, plan_id, pack_id, amount_minor, currency,
       refunded_minor, paid_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      id,
      w.buyer,
      p.kind,
      p.tenantId,
      p.planId ?? null,
      p.packId ?? null,
      p.amountMinor,
      p.currency,
      p.refundedMinor ?? 0,
      new Date(p.paidAt),
    ],
  );
}

async function seedPayments(w: World) {
  // 23:30 on 9 March in New York: the 9th's bucket, though UTC already says the 10th.
  await pay(w, 'in_pro', {
    kind: 'subscription',
    tenantId: 'platform',
    planId: w.plans.proMonthly,
    amountMinor: 2000,
    currency: 'usd',
    paidAt: '2026-03-10T03:30:00Z',
  });
  // A credit pack bought this morning and refunded in full: a purchase, no revenue.
  await pay(w, 'cs_pack', {
    kind: 'pack',
    tenantId: 'platform',
    packId: 'pack-small',
    amountMinor: 500,
    currency: 'usd',
    refundedMinor: 500,
    paidAt: '2026-03-15T10:00:00Z',
  });
  // Acme: the very first instant of the range (00:00 EST on 14 February), partly refunded…
  await pay(w, 'cs_acme', {
    kind: 'plan',
    tenantId: 'acme',
    planId: w.plans.acmeWriter,
    amountMinor: 1500,
    currency: 'eur',
    refundedMinor: 300,
    paidAt: '2026-02-14T05:00:00Z',
  });
  // …and one millisecond before it: outside the 30 days, inside the 90.
  await pay(w, 'in_acme_old', {
    kind: 'subscription',
    tenantId: 'acme',
    planId: w.plans.acmeWriter,
    amountMinor: 1000,
    currency: 'eur',
    paidAt: '2026-02-14T04:59:59.999Z',
  });
  await pay(w, 'in_acme_usd', {
    kind: 'subscription',
    tenantId: 'acme',
    planId: w.plans.acmeWriter,
    amountMinor: 700,
    currency: 'usd',
    paidAt: '2026-03-12T15:00:00Z',
  });
  await pay(w, 'in_beta', {
    kind: 'subscription',
    tenantId: w.betaId,
    planId: w.plans.betaGold,
    amountMinor: 900,
    currency: 'jpy',
    paidAt: '2026-03-01T00:00:00Z',
  });
}

let subscriptionSeq = 0;
async function subscribe(
  w: World,
  p: { planId: string; markId: string; tenantId: string; status: string },
  extra: { cancelAtPeriodEnd?: boolean; endedAt?: Date } = {},
) {
  subscriptionSeq += 1;
  await api.sql(
    `insert into stripe_subscriptions (id, user_id, plan_id, mark_id, tenant_id, status,
       current_period_start, current_period_end, cancel_at_period_end, access_until, ended_at,
       state_at, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $12)`,
    [
      `sub_${subscriptionSeq}`,
      w.buyer,
      p.planId,
      p.markId,
      p.tenantId,
      p.status,
      new Date('2026-03-01T00:00:00Z'),
      new Date('2026-04-01T00:00:00Z'),
      extra.cancelAtPeriodEnd ?? false,
      new Date('2026-04-04T00:00:00Z'),
      extra.endedAt ?? null,
      NOW,
    ],
  );
}

describe('revenue', () => {
  it('sums net revenue per currency and purchases per kind over the last 30 local days', async () => {
    const w = await world();
    await seedPayments(w);
    const r = await w.admin.admin.money.revenue({ range: '30d' });

    expect(r).toMatchObject({
      unit: 'day',
      timeZone: ZONE,
      from: new Date('2026-02-14T05:00:00Z'),
      to: new Date('2026-03-16T04:00:00Z'),
      currencies: ['eur', 'jpy', 'usd'],
      purchases: { subscription: 3, plan: 1, pack: 1 },
    });
    expect(r.totals).toEqual([
      { currency: 'eur', purchases: 1, grossMinor: 1500, refundedMinor: 300, netMinor: 1200 },
      { currency: 'jpy', purchases: 1, grossMinor: 900, refundedMinor: 0, netMinor: 900 },
      { currency: 'usd', purchases: 3, grossMinor: 3200, refundedMinor: 500, netMinor: 2700 },
    ]);

    // One bucket per local day; 8 March (spring forward) is 23 hours long.
    expect(r.buckets).toHaveLength(30);
    const day = (iso: string) => r.buckets.find((b) => b.start.getTime() === Date.parse(iso))!;
    const dst = day('2026-03-08T05:00:00Z');
    expect(dst.end).toEqual(new Date('2026-03-09T04:00:00Z'));
    expect(r.buckets[0]).toMatchObject({
      start: new Date('2026-02-14T05:00:00Z'),
      revenue: [
        { currency: 'eur', netMinor: 1200 },
        { currency: 'jpy', netMinor: 0 },
        { currency: 'usd', netMinor: 0 },
      ],
      purchases: { subscription: 0, plan: 1, pack: 0 },
    });
    // Paid at 03:30 UTC on the 10th = 23:30 on the 9th in New York.
    expect(day('2026-03-09T04:00:00Z').revenue[2]).toEqual({ currency: 'usd', netMinor: 2000 });
    expect(day('2026-03-10T04:00:00Z').revenue[2]).toEqual({ currency: 'usd', netMinor: 0 });
    // Today: the refunded pack is a purchase worth nothing.
    expect(r.buckets.at(-1)).toMatchObject({
      start: new Date('2026-03-15T04:00:00Z'),
      revenue: [
        { currency: 'eur', netMinor: 0 },
        { currency: 'jpy', netMinor: 0 },
        { currency: 'usd', netMinor: 0 },
      ],
      purchases: { subscription: 0, plan: 0, pack: 1 },
    });
    // The buckets add up to the totals, currency by currency.
    for (const [i, total] of r.totals.entries()) {
      expect(r.buckets.reduce((sum, b) => sum + b.revenue[i]!.netMinor, 0)).toBe(total.netMinor);
    }

    // Per product and currency: Acme's plan sold in two currencies is two lines, never one sum.
    expect(
      r.products.map((p) => [p.product, p.name, p.tenantName, p.currency, p.purchases, p.netMinor]),
    ).toEqual([
      ['plan', 'Pro monthly', 'Tessera', 'usd', 1, 2000],
      ['plan', 'Acme Writer', 'Acme Writing Co.', 'eur', 1, 1200],
      ['plan', 'Beta Gold', 'Beta', 'jpy', 1, 900],
      ['plan', 'Acme Writer', 'Acme Writing Co.', 'usd', 1, 700],
      ['pack', null, 'Tessera', 'usd', 1, 0],
    ]);
  });

  it('draws 90 days in days and a year in whole weeks from Monday', async () => {
    const w = await world();
    await seedPayments(w);
    const quarter = await w.admin.admin.money.revenue({ range: '90d' });
    expect(quarter.buckets).toHaveLength(90);
    expect(quarter.totals.find((t) => t.currency === 'eur')).toMatchObject({
      purchases: 2,
      netMinor: 2200,
    });

    const year = await w.admin.admin.money.revenue({ range: '365d' });
    expect(year.unit).toBe('week');
    // 16 March 2025 was a Sunday: the year starts on Monday 10 March 2025, 00:00 EDT.
    expect(year.from).toEqual(new Date('2025-03-10T04:00:00Z'));
    expect(year.to).toEqual(new Date('2026-03-16T04:00:00Z'));
    expect(year.buckets).toHaveLength(53);
    expect(
      year.buckets.every((b) => new Date(b.start.getTime() + 12 * 3_600_000).getUTCDay() === 1),
    ).toBe(true);
    expect(year.totals.map((t) => [t.currency, t.netMinor])).toEqual([
      ['eur', 2200],
      ['jpy', 900],
      ['usd', 2700],
    ]);
  });

  it('says nothing rather than zeros when nobody has paid', async () => {
    const w = await world();
    const r = await w.admin.admin.money.revenue({ range: '30d' });
    expect(r).toMatchObject({ currencies: [], totals: [], products: [] });
    expect(r.purchases).toEqual({ subscription: 0, plan: 0, pack: 0 });
    expect(r.buckets.every((b) => b.revenue.length === 0)).toBe(true);
  });

  it("shows a vendor its own plans' money only, and another vendor's not at all", async () => {
    const w = await world();
    await seedPayments(w);
    const acme = await w.acme.vendor.money.revenue({ tenantId: 'acme', range: '30d' });
    expect(acme.currencies).toEqual(['eur', 'usd']);
    expect(acme.totals.map((t) => [t.currency, t.netMinor])).toEqual([
      ['eur', 1200],
      ['usd', 700],
    ]);
    expect(acme.purchases).toEqual({ subscription: 1, plan: 1, pack: 0 });
    expect(new Set(acme.products.map((p) => p.tenantId))).toEqual(new Set(['acme']));
    expect(
      (await w.acme.vendor.money.revenue({ tenantId: 'acme', range: '90d' })).totals[0],
    ).toEqual({
      currency: 'eur',
      purchases: 2,
      grossMinor: 2500,
      refundedMinor: 300,
      netMinor: 2200,
    });

    const beta = await w.beta.vendor.money.revenue({ tenantId: w.betaId, range: '30d' });
    expect(beta.totals).toEqual([
      { currency: 'jpy', purchases: 1, grossMinor: 900, refundedMinor: 0, netMinor: 900 },
    ]);
    // A row naming Beta but selling Acme's plan is not Beta's money.
    pay(w, 'in_mislabelled', {
      kind: 'subscription',
      tenantId: w.betaId,
      planId: w.plans.acmeWriter,
      amountMinor: 5000,
      currency: 'jpy',
      paidAt: '2026-03-14T12:00:00Z',
    });
    expect(
      (await w.beta.vendor.money.revenue({ tenantId: w.betaId, range: '30d' })).totals[0]!.netMinor,
    ).toBe(900);

    await expect(
      w.beta.vendor.money.revenue({ tenantId: 'acme', range: '30d' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(w.beta.vendor.money.subscribers({ tenantId: 'acme' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // Staff run the console but do not see its money.
    await expect(
      w.staff.vendor.money.revenue({ tenantId: 'acme', range: '30d' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // The platform admin may open any vendor's.
    expect(
      (await w.admin.vendor.money.revenue({ tenantId: 'acme', range: '30d' })).totals.length,
    ).toBe(2);
  });

  it('is the platform admin\u2019s alone', async () => {
    const w = await world();
    await expect(w.member.admin.money.revenue({ range: '30d' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(w.acme.admin.money.subscriptions()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(api.caller().admin.money.revenue({ range: '30d' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});

describe('active subscriptions', () => {
  it('counts subscriptions not ended and trialing, active or past due, per plan and status', async () => {
    const w = await world();
    const pro = { planId: w.plans.proMonthly, markId: w.marks.pro, tenantId: 'platform' };
    await subscribe(w, { ...pro, status: 'active' });
    await subscribe(w, { ...pro, status: 'active' });
    await subscribe(w, { ...pro, status: 'trialing' }, { cancelAtPeriodEnd: true });
    await subscribe(w, { ...pro, status: 'past_due' });
    await subscribe(w, { ...pro, status: 'unpaid' });
    await subscribe(w, { ...pro, status: 'canceled' }, { endedAt: NOW });
    await subscribe(w, { ...pro, status: 'active' }, { endedAt: NOW });
    await subscribe(w, {
      planId: w.plans.acmeWriter,
      markId: w.marks.acme,
      tenantId: 'acme',
      status: 'active',
    });
    await subscribe(w, {
      planId: w.plans.betaGold,
      markId: w.marks.beta,
      tenantId: w.betaId,
      status: 'trialing',
    });

    const all = await w.admin.admin.money.subscriptions();
    const row = (planId: string) => all.find((p) => p.planId === planId);
    expect(row(w.plans.proMonthly)).toEqual({
      planId: w.plans.proMonthly,
      planKey: 'pro-monthly',
      planName: 'Pro monthly',
      tenantId: 'platform',
      tenantName: 'Tessera',
      priceMinor: 2000,
      currency: 'usd',
      interval: 'month',
      active: 4,
      byStatus: { active: 2, trialing: 1, past_due: 1 },
      cancelAtPeriodEnd: 1,
    });
    // Recurring plans nobody holds are listed at zero; the platform's come first.
    expect(row((await demoIds(api)).plans['Pro yearly']!)).toMatchObject({ active: 0 });
    expect(all[0]!.tenantId).toBe('platform');
    expect(row(w.plans.acmeWriter)).toMatchObject({ active: 1, byStatus: { active: 1 } });
    expect(row(w.plans.betaGold)).toMatchObject({ active: 1, byStatus: { trialing: 1 } });

    const acme = await w.acme.vendor.money.subscribers({ tenantId: 'acme' });
    expect(acme.map((p) => [p.planName, p.active])).toEqual([['Acme Writer', 1]]);
    const beta = await w.beta.vendor.money.subscribers({ tenantId: w.betaId });
    expect(beta.map((p) => [p.planName, p.active, p.byStatus.trialing])).toEqual([
      ['Beta Gold', 1, 1],
    ]);
  });
});
