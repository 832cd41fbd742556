// Background WAL checkpoints: a worker thread copies the WAL into the database file, so commits
// never wait for the disk; the writers keep a large automatic checkpoint as a backstop.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../src/client.ts';

const PAGE = 4096;

describe('background checkpoints', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  function open(options: Parameters<typeof createDb>[1] = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-checkpoints-'));
    const path = join(dir, 'app.db');
    const handle = createDb(path, options);
    cleanups.push(() => {
      if (handle.sqlite.open) handle.close();
      rmSync(dir, { recursive: true, force: true });
    });
    handle.sqlite.exec('create table t (id integer primary key, v text)');
    return { path, handle };
  }
  /** `n` transactions of a page-sized row each: about `n` WAL frames. */
  function write(handle: DbHandle, n: number, from = 0) {
    const insert = handle.sqlite.prepare('insert into t (id, v) values (?, ?)');
    for (let i = from; i < from + n; i++) insert.run(i, 'x'.repeat(PAGE - 200));
  }
  async function until(condition: () => boolean, what: string) {
    const deadline = Date.now() + 10_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  // The WAL file, read directly (a probe connection's checkpoint would copy frames itself): its
  // header's checkpoint sequence number grows each time the log restarts from its beginning.
  const walFile = (path: string) => ({ sequence: readFileSync(`${path}-wal`).readUInt32BE(12) });

  it('start once the WAL grows, copy it while the writer keeps writing, and stop on close', async () => {
    const { path, handle } = open({
      backgroundCheckpoints: { startBytes: 256 * PAGE, idleMs: 10, busyMs: 1 },
    });
    expect(handle.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(16_000);
    write(handle, 10); // ~3 frames each (leaf, root, page 1): far below 256 pages
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(handle.checkpoints!.stats()).toMatchObject({ runs: 0, frames: 0 });

    write(handle, 200, 10); // past 256 pages: the thread starts and copies
    await until(() => handle.checkpoints!.stats().frames >= 200, 'the background checkpoints');
    const stats = handle.checkpoints!.stats();
    expect(stats.runs).toBeGreaterThan(0);
    // The writer never reached its backstop (16,000 pages), so the thread did the copying.
    expect(statSync(`${path}-wal`).size).toBeLessThan(16_000 * PAGE);

    // Once the thread has copied every frame, the next commit starts the log again from its
    // beginning: the WAL stays bounded without the writer ever checkpointing.
    const { sequence } = walFile(path);
    await handle.checkpoints!.drained();
    write(handle, 1, 10_000);
    expect(walFile(path).sequence).toBe(sequence + 1);

    handle.close();
    // No connection is left: switching the journal mode needs the file to itself.
    const after = new Database(path);
    try {
      expect(after.pragma('journal_mode = DELETE', { simple: true })).toBe('delete');
      expect(after.prepare('select count(*) as n from t').get()).toEqual({ n: 211 });
      expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      after.close();
    }
  });

  it('copy while the writer is busy in a loop that never yields to its event loop', () => {
    const { handle } = open({
      backgroundCheckpoints: { startBytes: 64 * PAGE, idleMs: 10, busyMs: 1 },
    });
    const deadline = Date.now() + 10_000;
    let written = 0;
    // The thread polls the WAL itself: nothing here lets this thread's timers run.
    while (handle.checkpoints!.stats().frames === 0) {
      if (Date.now() > deadline) throw new Error('no checkpoint while the writer was busy');
      write(handle, 10, written);
      written += 10;
    }
    expect(handle.sqlite.prepare('select count(*) as n from t').get()).toEqual({ n: written });
  });

  it('leave checkpoints to the writer when turned off, and never run for :memory:', () => {
    const { handle } = open({ backgroundCheckpoints: false });
    expect(handle.checkpoints).toBeNull();
    expect(handle.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    const memory = createDb(':memory:');
    expect(memory.checkpoints).toBeNull();
    memory.close();
  });
});
