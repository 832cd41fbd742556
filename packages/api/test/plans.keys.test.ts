// Plans have a stable platform-wide key (like marks): `pro-monthly` on the platform, `acme:…` for a
// vendor; a name used twice in one tenant gets `-2`. A Stripe price id must look like one and may
// sell only one plan.
import { afterEach, describe, expect, it } from 'vitest';
import { demoIds, type EngineTestApi, openTestApi, signedUp } from './harness.ts';

let api: EngineTestApi;
afterEach(() => api.destroy());

const fields = {
  name: 'Pro monthly',
  priceMinor: 2500,
  currency: 'usd',
  interval: 'month' as const,
};

describe('plan keys', () => {
  it('derives unique keys from names, qualifies vendor plans, and takes an explicit slug as is', async () => {
    api = await openTestApi({ seedDemo: true });
    const root = await signedUp(api, 'root@example.com');
    const admin = api.caller(root.browser);
    const ids = await demoIds(api);

    const again = await admin.admin.plans.create({ markId: ids.marks.pro!, fields });
    expect(again.key).toBe('pro-monthly-2');
    const vendorPlan = await api.stores.catalog.createPlan({
      tenantId: 'acme',
      markId: ids.marks['acme:writer']!,
      fields: { ...fields, name: 'Writer · Yearly!' },
      actorUserId: null,
      now: api.clock.now,
    });
    expect(vendorPlan).toMatchObject({ slug: 'writer-yearly', key: 'acme:writer-yearly' });
    const named = await api.stores.catalog.createPlan({
      tenantId: 'platform',
      markId: ids.marks.pro!,
      slug: 'pro-special',
      fields,
      actorUserId: null,
      now: api.clock.now,
    });
    expect(named.key).toBe('pro-special');
    await expect(
      api.stores.catalog.createPlan({
        tenantId: 'platform',
        markId: ids.marks.pro!,
        slug: 'pro-special',
        fields,
        actorUserId: null,
        now: api.clock.now,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      api.stores.catalog.createPlan({
        tenantId: 'platform',
        markId: ids.marks.pro!,
        slug: 'acme:pro',
        fields,
        actorUserId: null,
        now: api.clock.now,
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });

    const listed = await admin.admin.plans.list();
    expect(listed.find((p) => p.id === again.id)?.key).toBe('pro-monthly-2');
  });

  it('the admin and vendor create procedures take an optional slug: the key, or a field error', async () => {
    api = await openTestApi({ seedDemo: true });
    const root = await signedUp(api, 'root@example.com');
    const owner = api.caller((await signedUp(api, 'owner@example.com')).browser);
    const admin = api.caller(root.browser);
    const ids = await demoIds(api);

    const named = await admin.admin.plans.create({
      markId: ids.marks.pro!,
      slug: 'pro-launch',
      fields,
    });
    expect(named.key).toBe('pro-launch');
    // The same slug again is a conflict on the slug field; a malformed one is refused by shape.
    await expect(
      admin.admin.plans.create({ markId: ids.marks.pro!, slug: 'pro-launch', fields }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      cause: { details: { fieldErrors: { slug: ['SLUG_TAKEN'] } } },
    });
    await expect(
      admin.admin.plans.create({ markId: ids.marks.pro!, slug: 'Pro Launch', fields }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    const tenant = await admin.admin.vendors.create({
      slug: 'shop',
      name: 'Shop',
      ownerEmail: 'owner@example.com',
    });
    const mark = await owner.vendor.marks.create({
      tenantId: tenant.id,
      slug: 'fan',
      name: 'Fan',
      entitlements: {},
    });
    const vendorPlan = await owner.vendor.plans.create({
      tenantId: tenant.id,
      markId: mark.id,
      slug: 'fan-club',
      fields,
    });
    expect(vendorPlan.key).toBe('shop:fan-club');
  });

  it('validates Stripe price ids in the admin plan form and links each price to one plan', async () => {
    api = await openTestApi({ seedDemo: true });
    const root = await signedUp(api, 'root@example.com');
    const admin = api.caller(root.browser);
    const ids = await demoIds(api);
    const monthly = ids.plans['Pro monthly']!;
    const yearly = ids.plans['Pro yearly']!;

    await expect(
      admin.admin.plans.update({ planId: monthly, fields: { stripePriceId: 'prod_123' } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const linked = await admin.admin.plans.update({
      planId: monthly,
      fields: { stripePriceId: 'price_1Monthly' },
    });
    expect(linked.stripePriceId).toBe('price_1Monthly');
    // Editing one field leaves the others as they were: the link, the trial, the sort order.
    const repriced = await admin.admin.plans.update({
      planId: monthly,
      fields: { priceMinor: 2100 },
    });
    expect(repriced).toMatchObject({
      priceMinor: 2100,
      stripePriceId: 'price_1Monthly',
      trialDays: 7,
      sortOrder: 1,
      active: true,
    });
    // Saving the same plan again keeps its own price; another plan may not take it.
    await admin.admin.plans.update({
      planId: monthly,
      fields: { stripePriceId: 'price_1Monthly', description: 'x' },
    });
    await expect(
      admin.admin.plans.update({ planId: yearly, fields: { stripePriceId: 'price_1Monthly' } }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      admin.admin.plans.create({
        markId: ids.marks.pro!,
        fields: { ...fields, stripePriceId: 'price_1Monthly' },
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
