// WAL checkpoints off the request path (docs/decisions/010). With synchronous=NORMAL a commit only
// appends to the WAL; the disk flush happens at a checkpoint, and SQLite's automatic one runs inside
// the commit that crosses `wal_autocheckpoint` — on the event loop, for every page written since
// the last one. Instead, one worker thread per process (checkpoint-worker.js, started with the
// first file database) watches each open file's WAL and, once it grows past `startBytes` (the file
// is really written to), runs PASSIVE checkpoints of it on its own connection: they never block a
// writer or a reader. The writers keep a large automatic checkpoint as a backstop: under constant
// writes it is what lets the WAL restart from its beginning (by then the thread has copied nearly
// everything), and it takes over if the thread dies.
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

export interface BackgroundCheckpointOptions {
  /** Start checkpointing a file once its WAL is this large (bytes). */
  startBytes?: number;
  /** Pause after a checkpoint that found nothing to copy (ms). */
  idleMs?: number;
  /** Pause after a checkpoint that copied frames, or left some (ms). */
  busyMs?: number;
  /** The writers' own automatic checkpoint, in pages (the backstop). */
  backstopPages?: number;
}

export interface CheckpointStats {
  /** Checkpoints that copied frames, the frames they copied, and the thread's time in them (ms). */
  runs: number;
  frames: number;
  ms: number;
}

export interface BackgroundCheckpoints {
  stats(): CheckpointStats;
  /**
   * Resolves once the thread has looked at the file again and found nothing left to copy (at
   * once if the thread is gone). For benchmarks that must not bill one variant for another's WAL.
   */
  drained(): Promise<void>;
  /** Stops watching; if the thread has a connection to the file, waits (≤ 2 s) until it is closed. */
  stop(): void;
}

export const CHECKPOINT_DEFAULTS: Required<BackgroundCheckpointOptions> = {
  startBytes: 4 * 1024 * 1024, // SQLite's own trigger: 1000 pages of 4 KiB
  idleMs: 50,
  busyMs: 5,
  backstopPages: 16_000,
};
/** SQLite's own default, restored when the thread cannot run. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;
// The state a watched file shares with the thread (see checkpoint-worker.js).
const NOT_OPENED = 0;
const OPEN = 1;
const CLOSED_HERE = 2;

interface Thread {
  worker: Worker;
  alive: boolean;
  nextId: number;
  /** The connections of the watched files, to restore SQLite's own checkpoints if the thread dies. */
  connections: Map<number, Database.Database>;
}
let thread: Thread | null = null;

function checkpointThread(): Thread {
  if (thread) return thread;
  const worker = new Worker(new URL('./checkpoint-worker.js', import.meta.url), {
    // Plain JavaScript: no loader (tsx, vitest) is needed, and none is started.
    execArgv: [],
  });
  worker.unref(); // never keeps the process alive
  const started: Thread = { worker, alive: true, nextId: 1, connections: new Map() };
  const fallBack = () => {
    started.alive = false;
    if (thread === started) thread = null;
    for (const sqlite of started.connections.values())
      if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    started.connections.clear();
  };
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  thread = started;
  return started;
}

export function startBackgroundCheckpoints(
  path: string,
  sqlite: Database.Database,
  options: BackgroundCheckpointOptions = {},
): BackgroundCheckpoints {
  const { startBytes, idleMs, busyMs, backstopPages } = { ...CHECKPOINT_DEFAULTS, ...options };
  const shared = checkpointThread();
  const { worker, connections } = shared;
  const id = shared.nextId++;
  sqlite.pragma(`wal_autocheckpoint = ${backstopPages}`);
  // After a burst, the WAL file is cut back to this size when it restarts.
  sqlite.pragma(`journal_size_limit = ${backstopPages * 4096}`);
  connections.set(id, sqlite);

  const stateBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const state = new Int32Array(stateBuffer);
  const statsBuffer = new SharedArrayBuffer(5 * Float64Array.BYTES_PER_ELEMENT);
  const stats = new Float64Array(statsBuffer);
  stats[3] = 1;
  worker.postMessage({
    type: 'watch',
    id,
    path,
    state: stateBuffer,
    stats: statsBuffer,
    startBytes,
    idleMs,
    busyMs,
  });

  return {
    stats: () => ({ runs: stats[0]!, frames: stats[1]!, ms: stats[2]! / 1000 }),
    async drained() {
      const after = stats[4]! + 1; // a step that starts after this call
      while (shared.alive && (stats[4]! <= after || stats[3] !== 1))
        await new Promise((resolve) => setTimeout(resolve, busyMs));
    },
    stop() {
      connections.delete(id);
      if (!shared.alive) return;
      worker.postMessage({ type: 'unwatch', id });
      // If the thread never opened the file, it now never will; otherwise wait for its close, so
      // that when our close() returns no connection of ours to the file is left.
      if (Atomics.compareExchange(state, 0, NOT_OPENED, CLOSED_HERE) !== NOT_OPENED)
        Atomics.wait(state, 0, OPEN, 2000);
    },
  };
}
