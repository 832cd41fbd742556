// Delivers member events to subscribers in this process, whichever process wrote them. An event
// for EVERY_MEMBER (a mark or a vendor's ceiling changed) goes to every subscriber.
//
// SQLite has no cross-process notification, so the bus tails the outbox: while anyone is
// subscribed it reads `member_events WHERE id > last` every `intervalMs` (a primary-key range scan
// that usually returns nothing). With nobody subscribed it does no work at all. Redis pub/sub or
// Postgres LISTEN/NOTIFY can implement the same interface later.
//
// A timer alone would let a stream relay chunks for up to `intervalMs` after another process
// revoked its member. So before acting on a member's standing (relaying a chunk), a caller asks
// `catchUp()`: SQLite's `data_version` tells whether any other connection has committed since the
// last look (one cheap statement, at most once per CATCH_UP_EVERY_MS for the whole process), and
// only then is the outbox read — synchronously, so the listeners have run when it returns.
import type { Sqlite } from '@tessera/db';
import { EVERY_MEMBER } from './outbox.ts';

export interface DeliveredMemberEvent {
  id: number;
  userId: string;
  kind: string;
  markKey: string | null;
  createdAt: number;
}

export type MemberEventListener = (event: DeliveredMemberEvent) => void;

export interface MemberEventBus {
  /** Listen for one user's events; returns the unsubscribe function. */
  subscribe(userId: string, listener: MemberEventListener): () => void;
  /** Check for new events now (after a local write) instead of at the next tick. */
  poke(): void;
  /**
   * Delivers, before returning, the events written since the last look: by another process (seen
   * through SQLite's `data_version`, checked at most every CATCH_UP_EVERY_MS) or after a `poke()`
   * not yet served. Cheap when nothing changed; does nothing with nobody subscribed.
   */
  catchUp(): void;
  /** Aborts when the bus closes (server shutdown), so live streams can end. */
  readonly closed: AbortSignal;
  close(): void;
}

/** How stale `catchUp()` may be about other processes' writes: ≤ 1 statement per ms per process. */
export const CATCH_UP_EVERY_MS = 1;

export function createSqliteMemberEventBus(
  sqlite: Sqlite,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): MemberEventBus {
  const intervalMs = options.intervalMs ?? 20;
  const listeners = new Map<string, Set<MemberEventListener>>();
  const readNew = sqlite.prepare<
    [number],
    { id: number; user_id: string; kind: string; mark_key: string | null; created_at: number }
  >(
    'select id, user_id, kind, mark_key, created_at from member_events where id > ? order by id limit 1000',
  );
  const readLast = sqlite.prepare<[], { id: number | null }>(
    'select max(id) as id from member_events',
  );
  // Changes whenever another connection commits to the file (this connection's own writes poke).
  const dataVersion = sqlite.prepare<[], number>('pragma data_version').pluck();
  let lastId = 0;
  let seenVersion = 0;
  let poked = false;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  const closing = new AbortController();

  function drain() {
    try {
      poked = false;
      seenVersion = dataVersion.get()!;
      for (;;) {
        const rows = readNew.all(lastId);
        for (const row of rows) {
          lastId = row.id;
          const event = {
            id: row.id,
            userId: row.user_id,
            kind: row.kind,
            markKey: row.mark_key,
            createdAt: row.created_at,
          };
          if (row.user_id === EVERY_MEMBER) {
            for (const set of listeners.values()) for (const listener of set) listener(event);
          } else {
            for (const listener of listeners.get(row.user_id) ?? []) listener(event);
          }
        }
        if (rows.length < 1000) return;
      }
    } catch (error) {
      options.onError?.(error);
    }
  }

  function start() {
    seenVersion = dataVersion.get()!;
    lastId = readLast.get()?.id ?? 0;
    timer = setInterval(drain, intervalMs);
    timer.unref();
  }

  function stopIfIdle() {
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  return {
    subscribe(userId, listener) {
      if (!timer) start();
      const set = listeners.get(userId) ?? new Set<MemberEventListener>();
      listeners.set(userId, set);
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(userId);
        stopIfIdle();
      };
    },
    poke() {
      if (!timer) return;
      poked = true;
      setImmediate(drain);
    },
    catchUp() {
      if (!timer) return;
      if (!poked) {
        const now = performance.now();
        if (now - checkedAt < CATCH_UP_EVERY_MS) return;
        checkedAt = now;
        if (dataVersion.get() === seenVersion) return;
      }
      drain();
    },
    closed: closing.signal,
    close() {
      listeners.clear();
      stopIfIdle();
      closing.abort();
    },
  };
}
