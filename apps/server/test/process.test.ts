// The real entry points as child processes: the server refusing a bad environment, and
// `pnpm tessera` writing to a file another process reads. (Start-up, migration and graceful
// shutdown on either engine: process.server.test.ts.)
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { copyTestDatabase, removeDatabaseFiles } from '@tessera/db/testing';
import { afterEach, describe, expect, it } from 'vitest';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('processes', () => {
  it('refuses to start on a bad environment, naming the variable', async () => {
    const failure = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serverDir,
      env: { ...process.env, PORT: 'not-a-port' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain('PORT="not-a-port"');
  });

  it('runs `tessera user:create` and `user:list --json` against the file', async () => {
    const path = copyTestDatabase();
    cleanups.push(() => removeDatabaseFiles(path));
    const env = { ...process.env, DATABASE_PATH: path };
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: serverDir, env });

    const created = JSON.parse(
      (await cli('user:create', 'ops@example.com', '--password', 'a sturdy passphrase', '--json'))
        .stdout,
    );
    expect(created).toMatchObject({ email: 'ops@example.com', platformRole: 'owner' });
    await cli('user:create', 'helper@example.com', '--password', 'another sturdy one', '--admin');

    const listed = JSON.parse((await cli('user:list', '--json')).stdout);
    expect(listed).toEqual([
      expect.objectContaining({
        email: 'helper@example.com',
        roles: [{ tenantId: 'platform', tenantSlug: 'platform', role: 'admin' }],
      }),
      expect.objectContaining({
        email: 'ops@example.com',
        roles: [{ tenantId: 'platform', tenantSlug: 'platform', role: 'owner' }],
      }),
    ]);

    const refused = await cli(
      'user:create',
      'ops@example.com',
      '--password',
      'a sturdy passphrase',
      '--json',
    ).catch((e: { code: number; stdout: string }) => e);
    expect(refused).toMatchObject({ code: 1 });
    expect(JSON.parse((refused as { stdout: string }).stdout).error.code).toBe('EMAIL_TAKEN');

    const usage = await cli('user:create').catch((e: { code: number; stderr: string }) => e);
    expect(usage).toMatchObject({ code: 2 });
    expect((usage as { stderr: string }).stderr).toContain('Usage: pnpm tessera user:create');
  }, 60_000);
});
