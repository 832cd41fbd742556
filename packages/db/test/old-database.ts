// A database as an older release left it: migrated only up to (not including) the migration whose
// tag starts with `before`, in a scratch copy of the migrations folder. Upgrade tests fill it with
// rows, then run every migration (migrateDb) and check what became of them.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { expect } from 'vitest';
import { createDb, type DbHandle, MIGRATIONS_FOLDER } from '../src/client.ts';

export function databaseBefore(before: string, cleanups: (() => void)[]): DbHandle {
  const folder = mkdtempSync(join(tmpdir(), `tessera-migrations-before-${before}-`));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const upTo = journal.entries.findIndex((e) => e.tag.startsWith(before));
  expect(upTo).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, upTo);
  writeFileSync(journalPath, JSON.stringify(journal));
  const handle = createDb(join(folder, 'old.db'));
  cleanups.push(() => handle.close());
  migrate(handle.db, { migrationsFolder: folder });
  return handle;
}
