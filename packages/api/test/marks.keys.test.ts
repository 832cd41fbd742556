// A vendor mark's key can never equal a platform mark's key — checked on every way a mark (or a
// tenant) can be created or renamed: admin API, vendor API, domain functions, and raw SQL.
import { marks, PLATFORM_TENANT_ID, tenants } from '@tessera/db';
import { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it } from 'vitest';
import { createMark } from '../src/domain/marks/create-mark.ts';
import { markKey } from '../src/domain/marks/slug.ts';
import { updateMark } from '../src/domain/marks/update-mark.ts';
import { createVendor } from '../src/domain/tenancy/create-vendor.ts';
import { createTestApi, signedUp, type TestApi } from './harness.ts';

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
  let api: TestApi;
  afterEach(() => api.destroy());

  async function setup() {
    api = createTestApi();
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
          'createMark',
          () =>
            createMark(api.db.db, {
              tenantId: PLATFORM_TENANT_ID,
              slug,
              name: 'x',
              entitlements: {},
              actorUserId: null,
              now,
            }),
        ],
        [
          'updateMark',
          () =>
            updateMark(api.db.db, {
              tenantId: vendorId,
              markId: vendorMark.id,
              slug,
              actorUserId: null,
              now,
            }),
        ],
        [
          'createVendor',
          () =>
            createVendor(api.db.db, {
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
        ? api.db.sqlite
            .prepare(
              "insert into marks (id, tenant_id, slug, key, name, entitlements, created_at, updated_at) values ('raw', 'platform', ?, ?, 'x', '{}', 0, 0)",
            )
            .run(slug, slug)
        : api.db.sqlite
            .prepare(
              "insert into tenants (id, kind, slug, name, created_at) values ('raw', 'vendor', ?, 'x', 0)",
            )
            .run(slug);
    for (const slug of ['acme:pro', 'Pro', '']) {
      expect(() => raw('marks', slug)).toThrow(/CHECK constraint/);
      expect(() => raw('tenants', slug)).toThrow(/CHECK constraint/);
    }
    // Every key present is either bare (platform) or qualified by its own vendor's slug.
    const rows = api.db.sqlite
      .prepare(
        'select m.key, m.slug, t.kind, t.slug as tenant from marks m join tenants t on t.id = m.tenant_id',
      )
      .all() as {
      key: string;
      slug: string;
      kind: string;
      tenant: string;
    }[];
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
    const free = api.db.db
      .select()
      .from(marks)
      .all()
      .find((m) => m.key === 'free')!;
    await expect(
      admin.admin.marks.update({ markId: free.id, slug: 'basic' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      admin.admin.vendors.create({ slug: 'platform', name: 'x', ownerEmail: 'owner@acme.example' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(api.db.db.select().from(tenants).all()).toHaveLength(2);
  });
});
