// The catalog store's contract, part two: vendors (creation, staff, owner, ceiling, suspension;
// decision 012) and their assistants. Every change that alters what members may do appends one
// broadcast member event in its transaction; a refusal writes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actor, addUser, addVendor, count, NOW, refusal } from './catalog.contract.ts';
import type { EngineUnderTest, OpenEngine } from './engine.ts';

export function catalogVendorsContract(openEngine: OpenEngine) {
  let engine: EngineUnderTest;
  beforeEach(async () => {
    engine = await openEngine();
  });
  afterEach(() => engine.close());

  describe('vendors', () => {
    it('creates a vendor owned by an account, finds and lists it with its subscribers', async () => {
      const { catalog } = engine.stores;
      const acme = await addVendor(engine, 'acme');
      expect(acme).toMatchObject({ kind: 'vendor', slug: 'acme', name: 'acme Inc.' });
      expect(acme.createdAt).toEqual(NOW);
      await addVendor(engine, 'beta');
      expect(await catalog.getVendor(acme.id)).toEqual(acme);
      expect(await catalog.getVendorBySlug('acme')).toEqual(acme);
      expect(await catalog.isVendor(acme.id)).toBe(true);
      expect(await catalog.isVendor('platform')).toBe(false);
      expect(await refusal(catalog.getVendor('platform'))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await refusal(catalog.getVendorBySlug('nope'))).toMatchObject({ code: 'NOT_FOUND' });
      expect((await catalog.vendorTenants('all')).map((t) => t.slug).sort()).toEqual([
        'acme',
        'beta',
      ]);
      expect(await catalog.vendorTenants([acme.id, 'platform'])).toEqual([acme]);
      expect(await catalog.vendorTenants([])).toEqual([]);

      const mark = await catalog.createMark({
        tenantId: acme.id,
        slug: 'w',
        name: 'W',
        entitlements: {},
        ...actor,
      });
      // One holder now, one whose membership ended: one active subscriber.
      for (const [id, expiresAt] of [
        ['now', null],
        ['past', new Date(NOW.getTime() - 1000)],
      ] as const) {
        await addUser(engine, id);
        await engine.sql(
          `insert into memberships (id, user_id, mark_id, starts_at, expires_at, status, source, created_at, updated_at)
           values ($1, $1, $2, $3, $4, 'active', 'admin', $3, $3)`,
          [id, mark.id, NOW, expiresAt],
        );
      }
      const held = await catalog.listSubscribers({ tenantId: acme.id, now: NOW });
      expect(held.map((h) => [h.userId, h.markKey, h.activeNow]).sort()).toEqual([
        ['now', 'acme:w', true],
        ['past', 'acme:w', false],
      ]);
      expect(
        await catalog.listSubscribers({ tenantId: acme.id, now: NOW, activeOnly: true }),
      ).toEqual([
        {
          userId: 'now',
          email: 'now@example.test',
          markKey: 'acme:w',
          markName: 'W',
          startsAt: NOW,
          expiresAt: null,
          status: 'active',
          source: 'admin',
          activeNow: true,
        },
      ]);
      expect(await catalog.listSubscribers({ tenantId: 'platform', now: NOW })).toEqual([]);
      const vendors = await catalog.listVendors(NOW);
      expect(
        vendors.map((v) => [v.slug, v.ownerEmail, v.marks, v.plans, v.activeSubscribers]),
      ).toEqual([
        ['acme', 'acme-owner@example.test', 1, 0, 1],
        ['beta', 'beta-owner@example.test', 0, 0, 0],
      ]);
    });

    it('refuses a taken or reserved slug and an unknown owner, writing nothing', async () => {
      const { catalog } = engine.stores;
      await addVendor(engine, 'acme');
      const again = { slug: 'acme', name: 'A', ownerEmail: 'acme-owner@example.test', ...actor };
      expect(await refusal(catalog.createVendor(again))).toEqual({
        code: 'CONFLICT',
        fields: ['slug'],
      });
      expect(await refusal(catalog.createVendor({ ...again, slug: 'platform' }))).toEqual({
        code: 'CONFLICT',
        fields: ['slug'],
      });
      expect(
        await refusal(catalog.createVendor({ ...again, slug: 'new', ownerEmail: 'no@x.test' })),
      ).toEqual({ code: 'NOT_FOUND', fields: ['ownerEmail'] });
      expect(await count(engine, 'tenants')).toBe(2);
      expect(await count(engine, 'tenant_members')).toBe(1);
      expect(await count(engine, 'audit_events')).toBe(1);

      // Created at once under one slug: one vendor, the others a CONFLICT.
      const raced = await Promise.allSettled(
        [1, 2, 3].map(() => catalog.createVendor({ ...again, slug: 'twin' })),
      );
      expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of raced) {
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'CONFLICT' });
      }
      expect(await count(engine, 'tenants', "slug = 'twin'")).toBe(1);
    });

    it('adds staff, keeps the owner, and hands ownership over (one owner, also when raced)', async () => {
      const { catalog } = engine.stores;
      const acme = await addVendor(engine, 'acme');
      for (const id of ['ann', 'bob', 'cy', 'dee']) await addUser(engine, id);
      const staff = { tenantId: acme.id, ...actor };
      expect(
        await catalog.addTenantMember({ ...staff, email: 'ANN@example.test', role: 'staff' }),
      ).toEqual({ userId: 'ann', email: 'ann@example.test', role: 'staff' });
      expect(
        (await catalog.addTenantMember({ ...staff, email: 'ann@example.test', role: 'admin' }))
          .role,
      ).toBe('admin');
      expect(
        await refusal(
          catalog.addTenantMember({ ...staff, email: 'acme-owner@example.test', role: 'staff' }),
        ),
      ).toMatchObject({ code: 'FORBIDDEN' });
      expect(
        await refusal(catalog.addTenantMember({ ...staff, email: 'x@x.test', role: 'staff' })),
      ).toEqual({ code: 'NOT_FOUND', fields: ['email'] });
      expect((await catalog.listTenantMembers(acme.id)).map((m) => [m.email, m.role])).toEqual([
        ['ann@example.test', 'admin'],
        ['acme-owner@example.test', 'owner'],
      ]);

      expect(await catalog.setVendorOwner({ ...staff, email: 'bob@example.test' })).toEqual({
        userId: 'bob',
        email: 'bob@example.test',
        role: 'owner',
      });
      await Promise.all(
        ['cy', 'dee', 'ann'].map((id) =>
          catalog.setVendorOwner({ ...staff, email: `${id}@example.test` }),
        ),
      );
      const roles = await catalog.listTenantMembers(acme.id);
      expect(roles.filter((m) => m.role === 'owner')).toHaveLength(1);
      expect(roles).toHaveLength(5);
      expect(
        await refusal(
          catalog.setVendorOwner({ tenantId: 'platform', email: 'bob@example.test', ...actor }),
        ),
      ).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('sets the ceiling and suspends, each with one broadcast event; refusals write nothing', async () => {
      const { catalog } = engine.stores;
      const acme = await addVendor(engine, 'acme');
      expect((await catalog.getVendorCeiling(acme.id)).models).toEqual([]);
      const ceiling = await catalog.setVendorCeiling({
        tenantId: acme.id,
        ceiling: { models: ['tessera-mini'], requestsPerDay: 10, trialDays: 3 },
        ...actor,
      });
      expect(ceiling).toMatchObject({ models: ['tessera-mini'], requestsPerDay: 10, trialDays: 3 });
      expect(await catalog.getVendorCeiling(acme.id)).toEqual(ceiling);
      expect(
        await refusal(
          catalog.setVendorCeiling({ tenantId: acme.id, ceiling: { models: ['nope'] }, ...actor }),
        ),
      ).toEqual({ code: 'VALIDATION', fields: ['ceiling.models'] });
      expect(
        await refusal(catalog.setVendorCeiling({ tenantId: 'platform', ceiling: {}, ...actor })),
      ).toMatchObject({ code: 'NOT_FOUND' });
      expect(await catalog.getVendorCeiling(acme.id)).toEqual(ceiling);

      expect(
        await catalog.setVendorSuspended({
          tenantId: acme.id,
          suspended: true,
          reason: 'unpaid',
          ...actor,
        }),
      ).toEqual({ suspendedAt: NOW, suspendedReason: 'unpaid' });
      expect((await catalog.getVendor(acme.id)).suspendedAt).toEqual(NOW);
      expect(
        await catalog.setVendorSuspended({ tenantId: acme.id, suspended: false, ...actor }),
      ).toEqual({ suspendedAt: null, suspendedReason: null });

      const events = await engine.sql<{ user_id: string; kind: string }>(
        'select user_id, kind from member_events order by id',
      );
      expect(events).toEqual(Array(3).fill({ user_id: '*', kind: 'tenant.changed' }));
      const actions = await engine.sql<{ action: string }>(
        "select action from audit_events where subject_type = 'tenant' order by id",
      );
      expect(actions.map((a) => a.action)).toEqual([
        'vendor.created',
        'vendor.ceiling_set',
        'vendor.suspended',
        'vendor.reinstated',
      ]);
    });
  });

  describe('assistants', () => {
    it('creates, edits and lists a vendor assistant within its ceiling', async () => {
      const { catalog } = engine.stores;
      const acme = await addVendor(engine, 'acme');
      const other = await addVendor(engine, 'other');
      await catalog.setVendorCeiling({
        tenantId: acme.id,
        ceiling: { models: ['tessera-mini'] },
        ...actor,
      });
      const mark = await catalog.createMark({
        tenantId: acme.id,
        slug: 'w',
        name: 'Writer',
        entitlements: {},
        ...actor,
      });
      const otherMark = await catalog.createMark({
        tenantId: other.id,
        slug: 'w',
        name: 'W',
        entitlements: {},
        ...actor,
      });
      const fields = {
        name: 'Helper',
        systemPrompt: 'Be helpful.',
        modelId: 'tessera-mini',
        markId: mark.id,
      };
      const create = (f: Partial<typeof fields>) =>
        catalog.createAssistant({ tenantId: acme.id, fields: { ...fields, ...f }, ...actor });
      const made = await create({});
      expect(made).toMatchObject({ tenantId: acme.id, name: 'Helper', active: true });

      expect(await refusal(create({ modelId: 'tessera-ultra' }))).toEqual({
        code: 'VALIDATION',
        fields: ['fields.modelId'],
      });
      expect(await refusal(create({ modelId: 'nope' }))).toEqual({
        code: 'VALIDATION',
        fields: ['fields.modelId'],
      });
      expect(await refusal(create({ markId: otherMark.id }))).toEqual({
        code: 'NOT_FOUND',
        fields: ['markId'],
      });
      expect(await count(engine, 'assistants')).toBe(1);

      const edit = { tenantId: acme.id, assistantId: made.id, ...actor };
      expect(await catalog.updateAssistant({ ...edit, fields: { active: false } })).toMatchObject({
        active: false,
        name: 'Helper',
      });
      expect(
        await refusal(catalog.updateAssistant({ ...edit, fields: { markId: otherMark.id } })),
      ).toEqual({ code: 'NOT_FOUND', fields: ['markId'] });
      expect(
        await refusal(catalog.updateAssistant({ ...edit, tenantId: other.id, fields: {} })),
      ).toMatchObject({ code: 'NOT_FOUND' });

      expect(await catalog.listAssistants({ tenantId: acme.id })).toEqual([
        {
          id: made.id,
          tenantId: acme.id,
          tenantName: 'acme Inc.',
          name: 'Helper',
          description: '',
          systemPrompt: 'Be helpful.',
          modelId: 'tessera-mini',
          markId: mark.id,
          markKey: 'acme:w',
          markName: 'Writer',
          active: false,
        },
      ]);
      expect(await catalog.listAssistants({ activeOnly: true })).toEqual([]);
    });
  });
}
