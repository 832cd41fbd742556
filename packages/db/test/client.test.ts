import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDb, migrateDb, PLATFORM_TENANT_ID, tenants, users } from '../src/index.ts';
import { createTestDb } from '../src/testing.ts';

describe('createDb', () => {
  it('opens a file with WAL, foreign keys and a busy timeout, creating its folder', () => {
    const folder = mkdtempSync(join(tmpdir(), 'tessera-db-'));
    try {
      const path = join(folder, 'nested', 'app.db');
      const handle = createDb(path);
      expect(handle.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(handle.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(handle.sqlite.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(1000);
      handle.close();
      expect(existsSync(path)).toBe(true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('opens :memory: too, and migrating twice is a no-op', () => {
    const handle = createDb(':memory:');
    migrateDb(handle.db);
    migrateDb(handle.db);
    expect(handle.db.select().from(tenants).all()).toMatchObject([
      { id: PLATFORM_TENANT_ID, kind: 'platform' },
    ]);
    handle.close();
  });

  it('enforces foreign keys', () => {
    const db = createTestDb();
    try {
      expect(() =>
        db.sqlite
          .prepare(
            "insert into tenant_members (tenant_id, user_id, role, created_at) values ('platform', 'ghost', 'owner', 0)",
          )
          .run(),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      db.destroy();
    }
  });
});

describe('test databases', () => {
  it('are migrated copies, isolated from each other', () => {
    const a = createTestDb();
    const b = createTestDb();
    try {
      expect(a.path).not.toBe(b.path);
      a.db
        .insert(users)
        .values({ id: 'u1', email: 'a@example.com', passwordHash: 'x', createdAt: new Date() })
        .run();
      expect(a.db.select().from(users).all()).toHaveLength(1);
      expect(b.db.select().from(users).all()).toHaveLength(0);
      expect(b.db.select().from(tenants).all()).toHaveLength(1);
    } finally {
      a.destroy();
      b.destroy();
    }
    expect(existsSync(a.path)).toBe(false);
  });
});
