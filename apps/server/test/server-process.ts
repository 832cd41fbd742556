// Real server processes (`src/main.ts`) on one shared database, for the multi-process tests: a
// SQLite file (`databasePath`), or a PostgreSQL database when the environment passed in carries
// DATABASE_URL (it wins over DATABASE_PATH: src/storage.ts). Each one is started with its own
// environment, its log lines are kept (the tests read what it says it did), and every process
// started is SIGKILLed by `killAllServerProcesses()` after the test, even if start-up failed.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const serverDir = fileURLToPath(new URL('..', import.meta.url));

export interface ServerProcess {
  url: string;
  /** Its INSTANCE_ID, as in `credit_reservations.holder` and `leases.holder`. */
  instance: string;
  child: ChildProcess;
  /** Everything it printed so far (JSON log lines). */
  output(): string;
  /** Log lines (parsed) whose `msg` is `message`. */
  logged(message: string): Record<string, unknown>[];
  /** SIGKILL, resolved once the process is gone. */
  kill9(): Promise<void>;
}

const started: ChildProcess[] = [];

export function startServerProcess(
  databasePath: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
      REFILL_SCHEDULER: 'false',
      SEED_DEMO: 'true',
      DEMO_TOKENS_PER_SECOND: '100000',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = output.match(/"url":"(http:\/\/[^"]+)".*?"instance":"([^"]+)"/);
      if (match)
        resolve({
          url: match[1]!,
          instance: match[2]!,
          child,
          output: () => output,
          logged: (message) =>
            output
              .split('\n')
              .filter((line) => line.includes(`"msg":"${message}"`))
              .map((line) => JSON.parse(line) as Record<string, unknown>),
          kill9: () => {
            child.kill('SIGKILL');
            return exited;
          },
        });
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
}

/** Starts `count` instances on one database at once (each migrates and seeds, which happens once). */
export function startServerProcesses(
  count: number,
  databasePath: string,
  env: Record<string, string> = {},
): Promise<ServerProcess[]> {
  return Promise.all(Array.from({ length: count }, () => startServerProcess(databasePath, env)));
}

export function killAllServerProcesses() {
  for (const child of started.splice(0)) child.kill('SIGKILL');
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | false,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
