// A vendor mark's key can never equal a platform mark's key — checked on every way a mark (or a
// tenant) can be created or renamed: admin API, vendor API, the catalog store, and raw SQL.
import { PLATFORM_TENANT_ID } from '@tessera/db';
import { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it } from 'vitest';
import { markKey } from '../src/domain/marks/slug.ts';
import { type EngineTestApi, openTestApi, signedUp } from './harness.ts';
import { rowCount } from './money-fixtures.ts';

// (Surrounding spaces are trimmed, not refused: ' pro ' is the slug 'pro'.)
const HOSTILE_SLUGS = [
  'acme:pro',
  'pro:',
  ':pro',
  'Pro',
  'p ro',
  'pró',
  '',
  'a'.repeat(49),
  'pro/x',
  'pro\u0000',
];

describe('mark keys', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  async function setup() {
    api = await openTestApi();
    const admin = await signedUp(api, 'admin@example.com');
    const owner = await signedUp(api, 'owner@acme.example');
    const vendor = await api
      .caller(admin.browser)
      .admin.vendors.create({ slug: 'acme', name: 'Acme', ownerEmail: 'owner@acme.example' });
    return {
      admin: api.caller(admin.browser),
      owner: api.caller(owner.browser),
      vendorId: vendor.id,
    };
  }

  it('are the bare slug for the platform and vendor:slug for vendors', async () => {
    const { admin, owner, vendorId } = await setup();
    const platformPro = await admin.admin.marks.create({
      slug: 'pro',
      name: 'Pro',
      entitlements: {},
    });
    const vendorPro = await owner.vendor.marks.create({
      tenantId: vendorId,
      slug: 'pro',
      name: 'Acme Pro',
      entitlements: {},
    });
    expect(platformPro.key).toBe('pro');
    expect(vendorPro.key).toBe('acme:pro');
    expect(markKey({ kind: 'vendor', slug: 'acme' }, 'pro')).not.toBe(
      markKey({ kind: 'platform', slug: 'platform' }, 'pro'),
    );
  });

  it('refuse every slug that could forge a key, on every create and rename path', async () => {
    const { admin, owner, vendorId } = await setup();
    const vendorMark = await owner.vendor.marks.create({
      tenantId: vendorId,
      slug: 'basic',
      name: 'Basic',
      entitlements: {},
    });
    const platformMark = await admin.admin.marks.create({
      slug: 'basic',
      name: 'Basic',
      entitlements: {},
    });
    const now = api.clock.now;
    for (const slug of HOSTILE_SLUGS) {
      const attempts: [string, () => unknown][] = [
        [
          'admin.marks.create',
          () => admin.admin.marks.create({ slug, name: 'x', entitlements: {} }),
        ],
        ['admin.marks.update', () => admin.admin.marks.update({ markId: platformMark.id, slug })],
        [
          'vendor.marks.create',
          () =>
            owner.vendor.marks.create({ tenantId: vendorId, slug, name: 'x', entitlements: {} }),
        ],
        [
          'vendor.marks.update',
          () => owner.vendor.marks.update({ tenantId: vendorId, markId: vendorMark.id, slug }),
        ],
        [
          'admin.vendors.create',
          () => admin.admin.vendors.create({ slug, name: 'x', ownerEmail: 'owner@acme.example' }),
        ],
        [
          'stores.catalog.createMark',
          () =>
            api.stores.catalog.createMark({
              tenantId: PLATFORM_TENANT_ID,
              slug,
              name: 'x',
              entitlements: {},
              actorUserId: null,
              now,
            }),
        ],
        [
          'stores.catalog.updateMark',
          () =>
            api.stores.catalog.updateMark({
              tenantId: vendorId,
              markId: vendorMark.id,
              slug,
              actorUserId: null,
              now,
            }),
        ],
        [
          'stores.catalog.createVendor',
          () =>
            api.stores.catalog.createVendor({
              slug,
              name: 'x',
              ownerEmail: 'owner@acme.example',
              actorUserId: null,
              now,
            }),
        ],
      ];
      for (const [path, attempt] of attempts) {
        await expect(
          Promise.resolve().then(attempt),
          `${path} with ${JSON.stringify(slug)}`,
        ).rejects.toSatisfy((e: unknown) =>
          e instanceof TRPCError
            ? e.code === 'BAD_REQUEST'
            : (e as { code?: string }).code === 'VALIDATION',
        );
      }
    }
    // The database refuses them too, whoever writes.
    const raw = (table: string, slug: string) =>
      table === 'marks'
        ? api.sql(
            "insert into marks (id, tenant_id, slug, key, name, entitlements, created_at, updated_at) values ('raw', 'platform', $1, $1, 'x', '{}', 0, 0)",
            [slug],
          )
        : api.sql(
            "insert into tenants (id, kind, slug, name, created_at) values ('raw', 'vendor', $1, 'x', 0)",
            [slug],
          );
    for (const slug of ['acme:pro', 'Pro', '']) {
      await expect(raw('marks', slug)).rejects.toThrow(/check constraint/i);
      await expect(raw('tenants', slug)).rejects.toThrow(/check constraint/i);
    }
    // Every key present is either bare (platform) or qualified by its own vendor's slug.
    const rows = await api.sql<{ key: string; slug: string; kind: string; tenant: string }>(
      'select m.key, m.slug, t.kind, t.slug as tenant from marks m join tenants t on t.id = m.tenant_id',
    );
    for (const row of rows)
      expect(row.key).toBe(row.kind === 'platform' ? row.slug : `${row.tenant}:${row.slug}`);
  });

  it('stay unique: a taken slug is a field error; the free mark keeps its slug', async () => {
    const { admin, owner, vendorId } = await setup();
    await admin.admin.marks.create({ slug: 'team', name: 'Team', entitlements: {} });
    const dup = await admin.admin.marks
      .create({ slug: 'team', name: 'Again', entitlements: {} })
      .catch((e: TRPCError) => e);
    expect(dup).toMatchObject({ code: 'CONFLICT' });
    const a = await owner.vendor.marks.create({
      tenantId: vendorId,
      slug: 'a',
      name: 'A',
      entitlements: {},
    });
    await owner.vendor.marks.create({ tenantId: vendorId, slug: 'b', name: 'B', entitlements: {} });
    await expect(
      owner.vendor.marks.update({ tenantId: vendorId, markId: a.id, slug: 'b' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const [free] = await api.sql<{ id: string }>("select id from marks where key = 'free'");
    await expect(
      admin.admin.marks.update({ markId: free!.id, slug: 'basic' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      admin.admin.vendors.create({ slug: 'platform', name: 'x', ownerEmail: 'owner@acme.example' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await rowCount(api, 'tenants')).toBe(2);
  });
});
