// Delivers member events to subscribers in this process, whichever process wrote them.
//
// SQLite has no cross-process notification, so the bus tails the outbox: while anyone is
// subscribed it reads `member_events WHERE id > last` every `intervalMs` (a primary-key range scan
// that usually returns nothing). With nobody subscribed it does no work at all. Redis pub/sub or
// Postgres LISTEN/NOTIFY can implement the same interface later.
import type { Sqlite } from '@tessera/db';

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
  /** Aborts when the bus closes (server shutdown), so live streams can end. */
  readonly closed: AbortSignal;
  close(): void;
}

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
  let lastId = 0;
  let timer: NodeJS.Timeout | undefined;
  const closing = new AbortController();

  function drain() {
    try {
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
          for (const listener of listeners.get(row.user_id) ?? []) listener(event);
        }
        if (rows.length < 1000) return;
      }
    } catch (error) {
      options.onError?.(error);
    }
  }

  function start() {
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
      if (timer) setImmediate(drain);
    },
    closed: closing.signal,
    close() {
      listeners.clear();
      stopIfIdle();
      closing.abort();
    },
  };
}
