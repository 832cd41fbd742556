// Several processes opening one file at the same moment (two servers started together, a CLI run
// during start-up) must all get a WAL connection: SQLite refuses the switch to WAL with an
// immediate SQLITE_BUSY while another process holds the file, so createDb retries it.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { copyTestDatabase, removeDatabaseFiles } from '../src/testing.ts';

const run = promisify(execFile);
const client = fileURLToPath(new URL('../src/client.ts', import.meta.url));

describe('opening one file from many processes at once', () => {
  it('gives every process a WAL connection', async () => {
    const path = copyTestDatabase(); // a rollback-journal file, as a fresh copy is
    try {
      const script = `
        const { createDb } = await import(${JSON.stringify(client)});
        // Every process opens the file at the same instant.
        while (Date.now() < Number(process.argv[2])) {}
        const handle = createDb(process.argv[1], { backgroundCheckpoints: false });
        handle.sqlite.prepare('select count(*) from users').get();
        console.log(handle.sqlite.pragma('journal_mode', { simple: true }));
        handle.close();`;
      const startAt = String(Date.now() + 2500);
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () =>
          run(process.execPath, [
            '--import',
            'tsx',
            '--input-type=module',
            '-e',
            script,
            path,
            startAt,
          ]),
        ),
      );
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      expect(failures).toEqual([]);
      for (const r of results)
        if (r.status === 'fulfilled') expect(r.value.stdout.trim()).toBe('wal');
    } finally {
      removeDatabaseFiles(path);
    }
  }, 60_000);
});
