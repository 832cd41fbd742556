// CI check: the committed migrations describe the current schema. drizzle-kit generates into a
// scratch copy of the migrations folder; if it writes a new migration, someone edited the schema
// without running `pnpm db:generate`.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS_FOLDER } from '../src/client.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tessera-migrations-'));
try {
  cpSync(MIGRATIONS_FOLDER, scratch, { recursive: true });
  const before = readdirSync(scratch).sort();
  execFileSync(
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
      scratch,
    ],
    { stdio: 'pipe' },
  );
  const added = readdirSync(scratch).filter((name) => !before.includes(name));
  if (added.length > 0) {
    console.error(`Schema and migrations disagree: drizzle-kit would add ${added.join(', ')}.`);
    console.error('Run `pnpm db:generate`, read the SQL, and commit it.');
    process.exit(1);
  }
  console.log(
    `Schema and migrations agree (${before.filter((n) => n.endsWith('.sql')).length} migrations).`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
