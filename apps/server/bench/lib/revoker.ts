// Revokes marks from a thread of its own, on its own connection to the database file — as the CLI's
// `mark:revoke` does from its own process. The cut-off benchmark's clients read their streams on
// the main thread; if the revokes ran there too, a chunk the server sent before a commit could be
// read only after it (the thread was busy committing) and be counted as "after the revoke". Each
// revoke reports its commit time on the epoch-aligned clock (timeOrigin + now), which the caller
// turns into its own `performance.now()`.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createSqliteMemberEventBus, revokeMark } from '@tessera/api';
import { createDb } from '@tessera/db';
import { pino } from 'pino';
import { createRedisEventTransport } from '../../src/events/redis-transport.ts';

interface RevokeRequest {
  id: number;
  userId: string;
}
interface RevokeReply {
  id: number;
  committedAt?: number;
  error?: string;
}

export interface Revoker {
  /** Revokes `markId` from the user; resolves with the commit's time on this thread's clock. */
  revoke(userId: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * With `announce`, the thread is instance A's write path: after each commit it announces the change
 * over Redis through the member-event bus's `poke()`, as a server does after an admin's revoke.
 */
export function startRevoker(
  databasePath: string,
  markId: string,
  announce?: { url: string; prefix: string },
): Revoker {
  // A worker does not inherit the TypeScript loader (`--import tsx`): it registers it, then loads
  // this module.
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(bootstrap, {
    eval: true,
    workerData: { databasePath, markId, announce },
  });
  const waiting = new Map<number, { resolve(at: number): void; reject(error: Error): void }>();
  let nextId = 1;
  worker.on('message', (reply: RevokeReply) => {
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.error !== undefined) pending?.reject(new Error(reply.error));
    else pending?.resolve(reply.committedAt! - performance.timeOrigin);
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let gone: Error | null = null;
  worker.on('error', (error) => {
    gone = error;
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
  });
  return {
    revoke(userId) {
      if (gone) return Promise.reject(gone);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, userId } satisfies RevokeRequest);
      });
    },
    async close() {
      worker.postMessage('close'); // ignored if the thread is already gone
      await exited;
    },
  };
}

if (!isMainThread && parentPort) {
  const { databasePath, markId, announce } = workerData as {
    databasePath: string;
    markId: string;
    announce?: { url: string; prefix: string };
  };
  const database = createDb(databasePath, { backgroundCheckpoints: false });
  const events = announce
    ? createSqliteMemberEventBus(database.sqlite, {
        transport: createRedisEventTransport({ ...announce, logger: pino({ level: 'silent' }) }),
      })
    : undefined;
  const port = parentPort;
  port.on('message', (message: RevokeRequest | 'close') => {
    if (message === 'close') {
      events?.close();
      database.close();
      port.close();
      return;
    }
    const { id, userId } = message;
    try {
      revokeMark(database.db, { userId, markId, actorUserId: null, now: new Date() });
      const committedAt = performance.timeOrigin + performance.now();
      events?.poke();
      port.postMessage({ id, committedAt });
    } catch (error) {
      port.postMessage({ id, error: String(error) } satisfies RevokeReply);
    }
  });
}
