// Test databases, the epic-stack way: migrate one template file per migration set, then give every
// test its own copy. Copying a file is far cheaper than migrating, and each test runs on the real
// SQLite engine with nothing shared.
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, type DbHandle, MIGRATIONS_FOLDER, migrateDb } from './client.ts';

const TEST_ROOT = join(tmpdir(), 'tessera-tests');

function migrationsFingerprint(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(MIGRATIONS_FOLDER).sort()) {
    if (name.endsWith('.sql'))
      hash.update(name).update(readFileSync(join(MIGRATIONS_FOLDER, name)));
  }
  hash.update(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json')));
  return hash.digest('hex').slice(0, 16);
}

let templatePath: string | undefined;

/** Path of a migrated template for the current migrations; built once, shared by all workers. */
export function testTemplatePath(): string {
  if (templatePath) return templatePath;
  mkdirSync(TEST_ROOT, { recursive: true });
  const path = join(TEST_ROOT, `template-${migrationsFingerprint()}.db`);
  if (!existsSync(path)) {
    // Build under a unique name and rename: concurrent workers never see a half-migrated file.
    const building = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    const handle = createDb(building);
    migrateDb(handle.db);
    handle.sqlite.pragma('journal_mode = DELETE'); // fold the WAL back into the one file
    handle.close();
    renameSync(building, path);
  }
  templatePath = path;
  return path;
}

/** A fresh path holding a migrated copy of the template, for tests that open the file themselves. */
export function copyTestDatabase(): string {
  const path = join(TEST_ROOT, `t-${process.pid}-${randomBytes(6).toString('hex')}.db`);
  copyFileSync(testTemplatePath(), path);
  return path;
}

export interface TestDb extends DbHandle {
  path: string;
  /** Closes and deletes the file (and its WAL side files). */
  destroy(): void;
}

/** A migrated database in its own file. Call `destroy()` in afterEach. */
export function createTestDb(): TestDb {
  const path = copyTestDatabase();
  const handle = createDb(path);
  return {
    ...handle,
    path,
    destroy() {
      handle.close();
      removeDatabaseFiles(path);
    },
  };
}

export function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * Runs one fixture statement written for both engines (`$1, $2…` placeholders, `true`/`false`,
 * integer ms timestamps, JSON as text) on a SQLite connection and returns its rows: the SQLite
 * side of a test's engine-neutral `sql()` (the PostgreSQL side passes the text straight through).
 */
export function runSharedSql<Row>(
  sqlite: DbHandle['sqlite'],
  text: string,
  params: readonly unknown[] = [],
): Row[] {
  const ordered: unknown[] = [];
  const translated = text.replace(/\$(\d+)/g, (_, n: string) => {
    ordered.push(sqliteValue(params[Number(n) - 1]));
    return '?';
  });
  const statement = sqlite.prepare(translated);
  if (statement.reader) return statement.all(...ordered) as Row[];
  statement.run(...ordered);
  return [];
}

/** A parameter as both engines store it: booleans as 0/1 and dates as integer ms on SQLite. */
function sqliteValue(value: unknown): unknown {
  if (typeof value === 'boolean') return Number(value);
  return value instanceof Date ? value.getTime() : value;
}
