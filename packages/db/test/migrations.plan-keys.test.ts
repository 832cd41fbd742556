// Migration 0012 on a database an older release left: every plan gets a slug from its name and a
// platform-wide key (vendor plans qualified by the vendor's slug), unique even where two plans of
// one tenant share a name or a name leaves nothing usable.
import { afterEach, describe, expect, it } from 'vitest';
import { migrateDb } from '../src/client.ts';
import { databaseBefore } from './old-database.ts';

describe('migration 0012 (plan keys)', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });

  it('backfills unique slugs and keys from plan names', () => {
    const handle = databaseBefore('0012_', cleanups);
    const s = handle.sqlite;
    s.exec(`
      insert into tenants (id, kind, slug, name, created_at) values ('acme', 'vendor', 'acme', 'Acme', 0);
      insert into marks (id, tenant_id, slug, key, name, entitlements, created_at, updated_at) values
        ('pro', 'platform', 'pro', 'pro', 'Pro', '{}', 0, 0),
        ('writer', 'acme', 'writer', 'acme:writer', 'Writer', '{}', 0, 0);
      insert into plans (id, tenant_id, mark_id, name, price_minor, currency, interval, stripe_price_id, created_at, updated_at) values
        ('p1', 'platform', 'pro', 'Pro Monthly', 2000, 'usd', 'month', 'price_123', 1, 1),
        ('p2', 'platform', 'pro', 'Pro monthly', 2000, 'usd', 'month', null, 2, 2),
        ('p3', 'platform', 'pro', '专业版', 2000, 'usd', 'year', null, 3, 3),
        ('p4', 'acme', 'writer', 'Pro Monthly', 900, 'usd', 'month', null, 4, 4),
        ('p5', 'platform', 'pro', '  Team & Co. (annual) ', 9900, 'usd', 'year', null, 5, 5);
    `);

    migrateDb(handle.db);
    const rows = s.prepare('select id, slug, key, stripe_price_id from plans order by id').all();
    expect(rows).toEqual([
      { id: 'p1', slug: 'pro-monthly', key: 'pro-monthly', stripe_price_id: 'price_123' },
      { id: 'p2', slug: 'pro-monthly-p2', key: 'pro-monthly-p2', stripe_price_id: null },
      { id: 'p3', slug: 'plan', key: 'plan', stripe_price_id: null },
      { id: 'p4', slug: 'pro-monthly', key: 'acme:pro-monthly', stripe_price_id: null },
      { id: 'p5', slug: 'team-co-annual', key: 'team-co-annual', stripe_price_id: null },
    ]);
    expect(s.pragma('foreign_key_check')).toEqual([]);
    expect(s.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
