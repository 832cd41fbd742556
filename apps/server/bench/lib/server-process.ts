// Runs a benchmark's server in its own Node process, so the server gets its own event loop (and,
// when the OS allows, its own core) instead of sharing one thread with the load generator. The
// two sides talk over the fork IPC channel: the child reports `ready` with what the load generator
// needs (its origin, a session cookie…), then answers named commands until `close`.
import { type ChildProcess, fork } from 'node:child_process';

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
type FromChild = { type: 'ready'; info: unknown } | { type: 'failed'; error: string } | Reply;
type ToChild = { id: number; command: string };

export interface ServerProcess<Info> {
  info: Info;
  pid: number;
  /** Runs one of the child's commands and resolves with its result. */
  call<T>(command: string): Promise<T>;
  /** CPU time (user + system, all threads) the child has used so far, in µs. */
  cpuMicros(): Promise<number>;
  /** Asks the child to close its server and database, and waits for it to exit. */
  close(): Promise<void>;
}

const EXIT_GRACE_MS = 5000;
const CPU_COMMAND = 'cpu';

export interface ServerProcessOptions {
  /** Arguments for the child (`process.argv.slice(2)`), e.g. a JSON configuration. */
  args?: string[];
  /** Node flags added to this process's own, e.g. `--expose-gc`. */
  execArgv?: string[];
}

/**
 * Forks `module` (a `*.server.ts` file that calls `serveBenchProcess`) with this process's
 * `execArgv`, so `--import tsx` and `--cpu-prof` apply to the child too.
 */
export function startServerProcess<Info>(
  module: URL,
  options: ServerProcessOptions = {},
): Promise<ServerProcess<Info>> {
  const child = fork(module, options.args ?? [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [...process.execArgv, ...(options.execArgv ?? [])],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => {
    for (const p of pending.values()) p.reject(new Error('bench server process exited'));
    pending.clear();
  });

  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`bench server process exited early (${signal ?? code})`)),
    );
    child.on('message', (message: FromChild) => {
      if ('type' in message && message.type === 'failed') {
        reject(new Error(`bench server failed to start: ${message.error}`));
      } else if ('type' in message && message.type === 'ready') {
        resolve(handle<Info>(child, message.info as Info, pending, () => nextId++, exited));
      } else if ('id' in message) {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) waiter?.resolve(message.result);
        else waiter?.reject(new Error(message.error));
      }
    });
  });
}

function handle<Info>(
  child: ChildProcess,
  info: Info,
  pending: Map<number, { resolve(v: unknown): void; reject(e: Error): void }>,
  nextId: () => number,
  exited: Promise<void>,
): ServerProcess<Info> {
  const call = <T>(command: string) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId();
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, command } satisfies ToChild);
    });
  return {
    info,
    pid: child.pid!,
    call,
    cpuMicros: () => call<number>(CPU_COMMAND),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await call('close').catch(() => {});
      const timer = setTimeout(() => child.kill(), EXIT_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface BenchProcessSetup<Info> {
  info: Info;
  commands?: Record<string, () => unknown>;
  /** Closes the server and the database; the process then exits on its own. */
  close(): Promise<void>;
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** The child side: runs `setup`, reports ready, answers commands, and exits after `close`. */
export async function serveBenchProcess<Info>(
  setup: () => Promise<BenchProcessSetup<Info>>,
): Promise<void> {
  const send = (message: FromChild) => process.send?.(message);
  let ready: BenchProcessSetup<Info>;
  try {
    ready = await setup();
  } catch (error) {
    send({
      type: 'failed',
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    process.disconnect?.();
    process.exitCode = 1;
    return;
  }
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= ready.close();
    return closing;
  };
  // The parent died or hung up: clean up anyway, so no server or temp file outlives the run.
  process.once('disconnect', () => void close());
  process.on('message', async ({ id, command }: ToChild) => {
    try {
      const run =
        command === 'close'
          ? close
          : command === CPU_COMMAND
            ? cpuMicros
            : ready.commands?.[command];
      if (!run) throw new Error(`unknown bench command ${command}`);
      send({ id, ok: true, result: await run() });
    } catch (error) {
      send({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
    if (command === 'close') process.disconnect?.();
  });
  send({ type: 'ready', info: ready.info });
}
