// Migration 0011 on a database an older release left: trials become once per user per tenant (the
// earliest of several in one tenant is kept), the demo vendor keeps working with the seed's
// ceiling, and any other vendor starts from nothing delegated (decision 012).
import { afterEach, describe, expect, it } from 'vitest';
import { migrateDb } from '../src/client.ts';
import { databaseBefore } from './old-database.ts';

describe('migration 0011 (trust boundaries)', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });

  it('keeps one trial per user and tenant, and gives only the demo vendor a ceiling', () => {
    const handle = databaseBefore('0011_', cleanups);
    const s = handle.sqlite;
    s.exec(`
      insert into users (id, email, password_hash, created_at) values ('u1', 'u1@example.com', 'x', 0);
      insert into tenants (id, kind, slug, name, created_at)
        values ('acme', 'vendor', 'acme', 'Acme', 0), ('other', 'vendor', 'other', 'Other', 0);
      insert into marks (id, tenant_id, slug, key, name, entitlements, created_at, updated_at) values
        ('pro', 'platform', 'pro', 'pro', 'Pro', '{}', 0, 0),
        ('ent', 'platform', 'ent', 'ent', 'Ent', '{}', 0, 0),
        ('writer', 'acme', 'writer', 'acme:writer', 'Writer', '{}', 0, 0);
      insert into trial_redemptions (user_id, mark_id, plan_id, created_at) values
        ('u1', 'ent', 'plan-ent', 20), ('u1', 'pro', 'plan-pro', 10), ('u1', 'writer', 'plan-w', 30);
    `);

    migrateDb(handle.db);
    expect(
      s
        .prepare('select tenant_id, mark_id, plan_id from trial_redemptions order by tenant_id')
        .all(),
    ).toEqual([
      { tenant_id: 'acme', mark_id: 'writer', plan_id: 'plan-w' },
      { tenant_id: 'platform', mark_id: 'pro', plan_id: 'plan-pro' }, // the earliest
    ]);
    expect(() =>
      s
        .prepare(
          "insert into trial_redemptions (user_id, tenant_id, mark_id, plan_id, created_at) values ('u1', 'platform', 'ent', 'p', 40)",
        )
        .run(),
    ).toThrow(/UNIQUE/);
    const ceilings = Object.fromEntries(
      s
        .prepare<[], { id: string; ceiling: string }>(
          "select id, ceiling from tenants where kind = 'vendor'",
        )
        .all()
        .map((t) => [t.id, JSON.parse(t.ceiling)]),
    );
    expect(ceilings.other).toEqual({});
    expect(ceilings.acme).toMatchObject({ models: ['tessera-mini', 'tessera-plus'], trialDays: 7 });
    expect(s.pragma('foreign_key_check')).toEqual([]);
    expect(s.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
