// The server's real entry point as a child process, on the run's engine: it migrates an empty
// database at start-up (a SQLite path with no file yet, or an empty PostgreSQL database at
// DATABASE_URL), serves, and shuts down cleanly on SIGTERM. (The CLI and the environment checks
// as processes: process.test.ts.)
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { copyTestDatabase, removeDatabaseFiles } from '@tessera/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { testEngine } from './test-storage.ts';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** DATABASE_PATH or DATABASE_URL naming a database with no tables yet. */
async function emptyDatabaseEnv(): Promise<Record<string, string>> {
  if (testEngine() === 'postgres') {
    const { createEmptyTestPgDatabase } = await import('@tessera/db/testing-pg');
    const database = await createEmptyTestPgDatabase('tessera_process');
    cleanups.push(() => database.drop());
    return { DATABASE_URL: database.url };
  }
  const path = `${copyTestDatabase()}.fresh`; // a path with no database yet: start-up creates it
  cleanups.push(() => removeDatabaseFiles(path));
  return { DATABASE_PATH: path };
}

function startServerProcess(
  databaseEnv: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      ...databaseEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => {
    child.kill('SIGKILL');
  });
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

describe('the server process', () => {
  it('migrates at start, serves, and shuts down cleanly on SIGTERM', async () => {
    const { child, url, output } = await startServerProcess(await emptyDatabaseEnv());
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/trpc/auth.me`)).status).toBe(200); // tables exist: migrated

    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output()).toContain('shutting down');
  }, 60_000);
});
