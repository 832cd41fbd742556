// CI check: the committed migrations describe the current schema. drizzle-kit generates into a
// scratch copy of the migrations folder; if it writes a new migration, someone edited the schema
// without running `pnpm db:generate`.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS_FOLDER } from '../src/client.ts';

// drizzle-kit prefixes `--out` with './', so an absolute path (the system temp folder) fails with
// ENOENT — and it still exits 0. Hence a scratch folder under this package (git-ignored), given as
// a relative path, and a check that drizzle-kit said what it did.
mkdirSync('.tmp', { recursive: true });
const scratch = mkdtempSync(join('.tmp', 'migrations-'));
try {
  process.exitCode = check();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

function check(): number {
  cpSync(MIGRATIONS_FOLDER, scratch, { recursive: true });
  const before = readdirSync(scratch).sort();
  const output = execFileSync(
    'drizzle-kit',
    [
      'generate',
      '--dialect',
      'sqlite',
      '--schema',
      './src/schema/index.ts',
      '--casing',
      'snake_case',
      '--out',
      `./${scratch}`,
    ],
    { stdio: 'pipe', encoding: 'utf8' },
  );
  const added = readdirSync(scratch).filter((name) => !before.includes(name));
  if (added.length > 0) {
    console.error(`Schema and migrations disagree: drizzle-kit would add ${added.join(', ')}.`);
    console.error('Run `pnpm db:generate`, read the SQL, and commit it.');
    return 1;
  }
  if (!/nothing to migrate/i.test(output)) {
    console.error('drizzle-kit neither generated a migration nor said the schema is unchanged:');
    console.error(output);
    return 1;
  }
  console.log(
    `Schema and migrations agree (${before.filter((n) => n.endsWith('.sql')).length} migrations).`,
  );
  return 0;
}
