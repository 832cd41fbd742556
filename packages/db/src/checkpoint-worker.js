// The process's checkpoint thread (started by checkpoints.ts on the first file database opened):
// it watches the WAL of every file database the process has open and, once a WAL grows past its
// threshold, runs PASSIVE checkpoints of that file on a connection of its own — so the threads that
// write never wait for the disk flush a checkpoint does. It polls the WAL sizes itself: a writer
// busy in a long synchronous loop does not delay it. Plain JavaScript: a worker thread gets no
// TypeScript loader under every runner we use.
import { statSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';

// Per watched file, shared with the opening thread: state (Int32: 0 no connection here yet,
// 1 connection open, 2 closed by the opener before we opened one, 3 our connection is closed)
// and stats (Float64: checkpoints that copied frames, frames copied, µs spent in them, 1 when the
// last step left nothing to copy, steps taken).
const OPEN = 1;
const CLOSED = 3;

/**
 * @typedef {{ path: string; state: Int32Array; stats: Float64Array; startBytes: number;
 *   idleMs: number; busyMs: number; db: Database.Database | null;
 *   checkpoint: Database.Statement | null; backfilled: number; dueAt: number }} Watched
 */
/** @type {Map<number, Watched>} */
const watched = new Map();
const IDLE_MS = 1000;
let timer = null;

function walBytes(path) {
  return statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
}

/** One step for one file; returns the pause until its next step (ms). */
function step(file) {
  file.stats[4] += 1;
  if (!file.db) {
    if (walBytes(file.path) < file.startBytes) return file.idleMs;
    // Open only if the opener has not closed the file meanwhile (it then never waits for us).
    if (Atomics.compareExchange(file.state, 0, 0, OPEN) !== 0) return file.idleMs;
    file.db = new Database(file.path, { fileMustExist: true });
    // Never wait for a lock: a PASSIVE checkpoint does what it can and reports the rest.
    file.db.pragma('busy_timeout = 0');
    file.checkpoint = file.db.prepare('pragma wal_checkpoint(PASSIVE)');
  }
  const started = performance.now();
  try {
    const { log, checkpointed } = file.checkpoint.get();
    // `checkpointed` counts frames copied since the log last restarted; it falls on a restart.
    const copied = checkpointed >= file.backfilled ? checkpointed - file.backfilled : checkpointed;
    file.backfilled = checkpointed;
    file.stats[3] = checkpointed >= log ? 1 : 0;
    if (copied > 0) {
      file.stats[0] += 1;
      file.stats[1] += copied;
      file.stats[2] += (performance.now() - started) * 1000;
    }
    // Frames remain (written while this one ran): come back soon, not after a whole idle pause.
    return copied > 0 || checkpointed < log ? file.busyMs : file.idleMs;
  } catch {
    // SQLITE_BUSY and the like: the writers' own (backstop) checkpoints still run.
    return file.idleMs;
  }
}

function loop() {
  timer = null;
  let next = Number.POSITIVE_INFINITY;
  for (const file of watched.values()) {
    if (performance.now() >= file.dueAt) file.dueAt = performance.now() + step(file);
    next = Math.min(next, file.dueAt);
  }
  schedule(next === Number.POSITIVE_INFINITY ? IDLE_MS : next - performance.now());
}

function schedule(ms) {
  if (timer) clearTimeout(timer);
  timer = setTimeout(loop, Math.max(0, ms));
}

function unwatch(id) {
  const file = watched.get(id);
  if (!file) return;
  watched.delete(id);
  file.db?.close();
  Atomics.store(file.state, 0, CLOSED);
  Atomics.notify(file.state, 0);
}

parentPort.on('message', (message) => {
  if (message.type === 'watch') {
    watched.set(message.id, {
      path: message.path,
      state: new Int32Array(message.state),
      stats: new Float64Array(message.stats),
      startBytes: message.startBytes,
      idleMs: message.idleMs,
      busyMs: message.busyMs,
      db: null,
      checkpoint: null,
      backfilled: 0,
      dueAt: 0,
    });
    schedule(0);
  } else if (message.type === 'unwatch') {
    unwatch(message.id);
  }
});
schedule(IDLE_MS);
