// The catalog store's contract, part one: the demo seed, the catalog read (cache and viewer),
// marks, plans, models and providers. Part two (vendors, ceilings, assistants) is
// catalog-vendors.contract.ts. Both engines must give the same answers and the same refusals,
// with nothing written on a refusal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/errors.ts';
import type { EngineUnderTest, OpenEngine } from './engine.ts';

export const NOW = new Date('2026-03-01T12:00:00Z');
export const actor = { actorUserId: null, now: NOW };

export async function addUser(engine: EngineUnderTest, id: string, email = `${id}@example.test`) {
  await engine.sql(
    `insert into users (id, email, password_hash, created_at, display_name)
     values ($1, $2, 'x', $3, $1)`,
    [id, email, NOW],
  );
}

export async function count(engine: EngineUnderTest, table: string, where = 'true') {
  const [row] = await engine.sql<{ n: number | string }>(
    `select count(*) as n from ${table} where ${where}`,
  );
  return Number(row?.n);
}

/** The refusal a promise ends with: its domain code and field error keys. */
export async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { code: error.code, fields: Object.keys(error.details.fieldErrors ?? {}) };
  }
  throw new Error('expected a refusal');
}

/** A vendor owned by a fresh user, through the store. */
export async function addVendor(engine: EngineUnderTest, slug: string) {
  await addUser(engine, `${slug}-owner`);
  return engine.stores.catalog.createVendor({
    slug,
    name: `${slug} Inc.`,
    ownerEmail: `${slug}-owner@example.test`,
    ...actor,
  });
}

const PLAN = { priceMinor: 1000, currency: 'usd', interval: 'month' as const };

export function catalogContract(openEngine: OpenEngine) {
  let engine: EngineUnderTest;
  beforeEach(async () => {
    engine = await openEngine();
  });
  afterEach(() => engine.close());

  describe('seedDemo', () => {
    it('writes the demo catalog once, the same on every engine', async () => {
      const { catalog } = engine.stores;
      expect(await catalog.seedDemo(NOW)).toBe(true);
      const plans = await count(engine, 'plans');
      expect(await catalog.seedDemo(NOW)).toBe(false);
      expect(await count(engine, 'plans')).toBe(plans);
      const listed = await catalog.listCatalog({ includeInactive: true });
      expect(listed.map((p) => [p.tenantKind, p.key, p.markKey])).toEqual([
        ['platform', 'free', 'free'],
        ['platform', 'pro-monthly', 'pro'],
        ['platform', 'pro-yearly', 'pro'],
        ['platform', 'enterprise', 'enterprise'],
        ['vendor', 'acme:acme-writer', 'acme:writer'],
      ]);
      expect((await catalog.listMarks(null)).map((m) => m.key)).toEqual([
        'enterprise',
        'free',
        'pro',
        'acme:writer',
      ]);
      expect((await catalog.listAssistants()).map((a) => [a.id, a.markKey])).toEqual([
        ['acme-seo-writer', 'acme:writer'],
      ]);
      expect((await catalog.getVendorCeiling('acme')).trialDays).toBe(7);
    });

    it('seeds once when two instances start at the same moment', async () => {
      const { catalog } = engine.stores;
      const results = await Promise.all([catalog.seedDemo(NOW), catalog.seedDemo(NOW)]);
      expect(results.sort()).toEqual([false, true]);
      expect(await count(engine, 'plans')).toBe(5);
      expect(await count(engine, 'assistants')).toBe(1);
    });
  });

  describe('listCatalog', () => {
    beforeEach(async () => {
      await engine.stores.catalog.seedDemo(NOW);
      await addUser(engine, 'viewer');
    });

    it('filters by tenant and activity, and shows a viewer the catalog as they may use it', async () => {
      const { catalog } = engine.stores;
      expect((await catalog.listCatalog({ tenantId: 'acme' })).map((p) => p.key)).toEqual([
        'acme:acme-writer',
      ]);
      const writer = (await catalog.listMarks('acme'))[0]!;
      await catalog.updateMark({
        tenantId: 'acme',
        markId: writer.id,
        entitlements: { models: ['tessera-plus'], plugins: ['seo-analysis'], requestsPerDay: 150 },
        ...actor,
      });
      // The ceiling is lowered after the mark was written: the viewer sees the clamp at once.
      await engine.sql(`update tenants set ceiling = $1 where id = 'acme'`, [
        JSON.stringify({ models: ['tessera-plus'], requestsPerDay: 50, trialDays: 2 }),
      ]);
      const seen = await catalog.listCatalog({ viewerId: 'viewer', tenantId: 'acme' });
      expect(seen[0]).toMatchObject({ trialDays: 2 });
      expect(seen[0]!.entitlements).toMatchObject({ requestsPerDay: 50, plugins: [] });
      const admin = await catalog.listCatalog({ tenantId: 'acme' });
      expect(admin[0]!.entitlements.requestsPerDay).toBe(150);

      const pro = (await catalog.listCatalog()).find((p) => p.key === 'pro-monthly')!;
      await engine.sql(
        `insert into trial_redemptions (user_id, tenant_id, mark_id, plan_id, created_at)
         values ('viewer', 'platform', $1, $2, $3)`,
        [pro.markId, pro.id, NOW],
      );
      const after = await catalog.listCatalog({ viewerId: 'viewer' });
      expect(after.find((p) => p.key === 'pro-monthly')!.trialDays).toBe(0);
      expect(after.find((p) => p.key === 'acme:acme-writer')!.trialDays).toBe(2);

      await catalog.setVendorSuspended({ tenantId: 'acme', suspended: true, ...actor });
      expect((await catalog.listCatalog({ viewerId: 'viewer' })).map((p) => p.key)).not.toContain(
        'acme:acme-writer',
      );
      expect((await catalog.listCatalog()).map((p) => p.key)).toContain('acme:acme-writer');
    });

    it('sees an edit written behind its back (the epoch trigger), and hides inactive plans', async () => {
      const { catalog } = engine.stores;
      expect((await catalog.listCatalog()).find((p) => p.key === 'enterprise')!.name).toBe(
        'Enterprise',
      );
      await engine.sql(`update plans set name = 'Big', active = $1 where key = 'enterprise'`, [
        false,
      ]);
      expect((await catalog.listCatalog()).map((p) => p.key)).not.toContain('enterprise');
      const all = await catalog.listCatalog({ includeInactive: true });
      expect(all.find((p) => p.key === 'enterprise')).toMatchObject({ name: 'Big', active: false });
      await engine.sql(`update tenants set name = 'Zeta' where id = 'acme'`);
      const acme = (await catalog.listCatalog()).find((p) => p.key === 'acme:acme-writer');
      expect(acme!.tenantName).toBe('Zeta');
    });
  });

  describe('marks', () => {
    it('creates, lists, finds by key and edits a platform mark; a key change is broadcast', async () => {
      const { catalog } = engine.stores;
      const mark = await catalog.createMark({
        tenantId: 'platform',
        slug: 'gold',
        name: 'Gold',
        entitlements: { models: ['tessera-plus'], requestsPerDay: 50 },
        ...actor,
      });
      expect(mark).toMatchObject({ key: 'gold', description: '' });
      expect(mark.entitlements.requestsPerDay).toBe(50);
      expect(await catalog.getMarkByKey('gold')).toEqual({
        id: mark.id,
        key: 'gold',
        name: 'Gold',
        tenantId: 'platform',
      });
      expect((await catalog.listMarks('platform')).map((m) => m.key)).toEqual(['free', 'gold']);
      expect(await count(engine, 'audit_events', "action = 'mark.created'")).toBe(1);

      const renamed = await catalog.updateMark({
        tenantId: 'platform',
        markId: mark.id,
        slug: 'platinum',
        name: 'Platinum',
        ...actor,
      });
      expect(renamed).toMatchObject({ key: 'platinum', name: 'Platinum' });
      const events = await engine.sql<{ user_id: string; kind: string; mark_key: string }>(
        'select user_id, kind, mark_key from member_events',
      );
      expect(events).toEqual([{ user_id: '*', kind: 'mark.changed', mark_key: 'platinum' }]);
      // A name alone changes nothing a member relies on: no event.
      await catalog.updateMark({ tenantId: 'platform', markId: mark.id, name: 'P', ...actor });
      expect(await count(engine, 'member_events')).toBe(1);
    });

    it('refuses taken keys, unknown ids, the free slug and other tenants, writing nothing', async () => {
      const { catalog } = engine.stores;
      const base = { tenantId: 'platform', name: 'X', entitlements: {}, ...actor };
      expect(await refusal(catalog.createMark({ ...base, slug: 'free' }))).toEqual({
        code: 'CONFLICT',
        fields: ['slug'],
      });
      expect(
        await refusal(
          catalog.createMark({ ...base, slug: 'x', entitlements: { models: ['nope'] } }),
        ),
      ).toEqual({ code: 'VALIDATION', fields: ['entitlements.models'] });
      expect(await refusal(catalog.createMark({ ...base, slug: 'a:b' }))).toMatchObject({
        code: 'VALIDATION',
      });
      const free = await catalog.getMarkByKey('free');
      expect(
        await refusal(catalog.updateMark({ ...base, markId: free.id, slug: 'basic' })),
      ).toEqual({ code: 'FORBIDDEN', fields: ['slug'] });
      const other = await catalog.createMark({ ...base, slug: 'other' });
      expect(
        await refusal(catalog.updateMark({ ...base, markId: other.id, slug: 'free' })),
      ).toEqual({ code: 'CONFLICT', fields: ['slug'] });
      await addVendor(engine, 'acme');
      const vendor = await catalog.getVendorBySlug('acme');
      expect(
        await refusal(catalog.updateMark({ ...base, tenantId: vendor.id, markId: free.id })),
      ).toMatchObject({ code: 'NOT_FOUND' });
      expect(await refusal(catalog.getMarkByKey('nope'))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await count(engine, 'marks')).toBe(2);
      expect(await count(engine, 'member_events')).toBe(0);
      expect(await count(engine, 'audit_events', "action like 'mark.%'")).toBe(1);
    });
  });

  describe('plans', () => {
    it('derives free keys, takes a given slug, edits, and refuses what save-plan refuses', async () => {
      const { catalog } = engine.stores;
      const free = await catalog.getMarkByKey('free');
      const create = (slug?: string, fields: { stripePriceId?: string } = {}) =>
        catalog.createPlan({
          tenantId: 'platform',
          markId: free.id,
          slug,
          fields: { name: 'Starter Pack', ...PLAN, ...fields },
          ...actor,
        });
      expect((await create()).key).toBe('starter-pack');
      expect((await create()).key).toBe('starter-pack-2');
      const given = await create('basic', { stripePriceId: 'price_basic1' });
      expect(given).toMatchObject({ key: 'basic', slug: 'basic', active: true, trialDays: 0 });
      const plans = await count(engine, 'plans');

      expect(await refusal(create('basic'))).toEqual({ code: 'CONFLICT', fields: ['slug'] });
      expect(await refusal(create('other', { stripePriceId: 'price_basic1' }))).toEqual({
        code: 'CONFLICT',
        fields: ['stripePriceId'],
      });
      const vendor = await addVendor(engine, 'acme');
      expect(
        await refusal(
          catalog.createPlan({
            tenantId: vendor.id,
            markId: free.id,
            fields: { name: 'Stolen', ...PLAN },
            ...actor,
          }),
        ),
      ).toEqual({ code: 'NOT_FOUND', fields: ['markId'] });
      const vendorMark = await catalog.createMark({
        tenantId: vendor.id,
        slug: 'w',
        name: 'W',
        entitlements: {},
        ...actor,
      });
      expect(
        await refusal(
          catalog.createPlan({
            tenantId: vendor.id,
            markId: vendorMark.id,
            fields: { name: 'Trial', ...PLAN, trialDays: 3 },
            ...actor,
          }),
        ),
      ).toEqual({ code: 'VALIDATION', fields: ['fields.trialDays'] });
      expect(await count(engine, 'plans')).toBe(plans);

      const edited = await catalog.updatePlan({
        tenantId: 'platform',
        planId: given.id,
        fields: { priceMinor: 1500, active: false },
        ...actor,
      });
      expect(edited).toMatchObject({ priceMinor: 1500, active: false, name: 'Starter Pack' });
      expect(
        await refusal(
          catalog.updatePlan({ tenantId: vendor.id, planId: given.id, fields: {}, ...actor }),
        ),
      ).toMatchObject({ code: 'NOT_FOUND' });
      expect(
        await refusal(
          catalog.updatePlan({
            tenantId: 'platform',
            planId: given.id,
            markId: vendorMark.id,
            fields: {},
            ...actor,
          }),
        ),
      ).toEqual({ code: 'NOT_FOUND', fields: ['markId'] });
      expect(await count(engine, 'audit_events', "action = 'plan.updated'")).toBe(1);
    });

    it('gives plans created at once from one name distinct keys', async () => {
      const { catalog } = engine.stores;
      const free = await catalog.getMarkByKey('free');
      const created = await Promise.all(
        Array.from({ length: 4 }, () =>
          catalog.createPlan({
            tenantId: 'platform',
            markId: free.id,
            fields: { name: 'Rush', ...PLAN },
            ...actor,
          }),
        ),
      );
      expect(created.map((p) => p.key).sort()).toEqual(['rush', 'rush-2', 'rush-3', 'rush-4']);
    });
  });

  describe('models and providers', () => {
    it('lists, creates and edits models; refuses a taken id and an unknown provider', async () => {
      const { catalog } = engine.stores;
      const before = await catalog.listModels();
      expect(before.map((m) => m.id)).toEqual(['tessera-mini', 'tessera-plus', 'tessera-ultra']);
      const provider = await catalog.saveProvider({
        fields: { name: 'Local', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-secret' },
        actorUserId: 'admin',
        now: NOW,
      });
      expect(provider).toMatchObject({ name: 'Local', apiKeySet: true, active: true });
      expect(provider).not.toHaveProperty('apiKey');
      const changed = await catalog.saveProvider({
        id: provider.id,
        fields: { apiKey: null },
        actorUserId: 'admin',
        now: NOW,
      });
      expect(changed.apiKeySet).toBe(false);
      expect(await catalog.listProviders()).toEqual([
        {
          id: provider.id,
          name: 'Local',
          baseUrl: 'http://127.0.0.1:9/v1',
          active: true,
          updatedAt: NOW,
          apiKeySet: false,
        },
      ]);
      const model = {
        displayName: 'Local 7B',
        inputPricePerMillion: 0,
        outputPricePerMillion: 5,
        providerId: provider.id,
      };
      const saved = await catalog.saveModel({
        id: 'local-7b',
        fields: model,
        create: true,
        actorUserId: 'admin',
        now: NOW,
      });
      expect(saved).toMatchObject({ id: 'local-7b', vision: false, upstreamModel: null });
      expect((await catalog.listModels())[0]!.id).toBe('local-7b');
      const edit = { id: 'local-7b', create: false, actorUserId: 'admin', now: NOW };
      expect(await catalog.saveModel({ ...edit, fields: { active: false } })).toMatchObject({
        active: false,
        displayName: 'Local 7B',
      });
      const create = { ...edit, create: true };
      expect(await refusal(catalog.saveModel({ ...create, fields: model }))).toEqual({
        code: 'CONFLICT',
        fields: ['modelId'],
      });
      expect(
        await refusal(
          catalog.saveModel({ ...create, id: 'x', fields: { ...model, providerId: 'nope' } }),
        ),
      ).toEqual({ code: 'NOT_FOUND', fields: ['fields.providerId'] });
      expect(
        await refusal(catalog.saveModel({ ...edit, id: 'nope', fields: { active: true } })),
      ).toMatchObject({ code: 'NOT_FOUND' });
      expect(
        await refusal(catalog.saveProvider({ ...edit, id: 'nope', fields: { name: 'N' } })),
      ).toMatchObject({ code: 'NOT_FOUND' });
      expect(await count(engine, 'models')).toBe(4);
      const audits = await engine.sql<{ data: unknown }>(
        "select data from audit_events where action = 'provider.created'",
      );
      expect(JSON.stringify(audits)).not.toContain('sk-secret');
    });
  });
}
