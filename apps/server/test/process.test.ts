// The real entry points as child processes: the server's start-up and graceful shutdown, and
// `pnpm tessera` writing to a file another process reads.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
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

function startServerProcess(
  databasePath: string,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => child.kill('SIGKILL'));
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = output.match(/"url":"(http:\/\/[^"]+)"/);
      if (match) resolve({ child, url: match[1]!, output: () => output });
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

describe('processes', () => {
  it('migrates at start, serves, and shuts down cleanly on SIGTERM', async () => {
    const path = `${copyTestDatabase()}.fresh`; // a path with no database yet: start-up creates it
    cleanups.push(() => removeDatabaseFiles(path));
    const { child, url, output } = await startServerProcess(path);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/trpc/auth.me`)).status).toBe(200); // tables exist: migrated

    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output()).toContain('shutting down');
  });

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
