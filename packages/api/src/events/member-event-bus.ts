// Delivers member events to subscribers in this process, whichever process wrote them. An event
// for EVERY_MEMBER (a mark or a vendor's ceiling changed) goes to every subscriber.
//
// SQLite has no cross-process notification, so the bus tails the outbox: while anyone is
// subscribed it reads `member_events WHERE id > last` every `intervalMs` (a primary-key range scan
// that usually returns nothing). With nobody subscribed it does no work at all.
//
// Across machines (decision 029) a `MemberEventTransport` (Redis pub/sub) carries a tiny wake-up:
// the writer publishes "events up to id N, auth epoch E" after its commit, every instance catches up
// from the outbox on hearing it. While the transport is live the timer only runs as a slow safety
// net and `catchUp()` looks at a flag the subscriber sets instead of `data_version`, so no shared
// SQLite file is needed; when it drops, the bus falls back to today's polling until it is back.
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

/** What a writer announces after its commit: the newest event id and auth epoch it can see. */
export interface MemberEventNotice {
  eventId: number;
  authEpoch: number;
}

/**
 * Carries notices between instances (Redis pub/sub in apps/server). Delivery is at most once and
 * may stop at any time: the outbox stays the record, a notice only says "look now".
 */
export interface MemberEventTransport {
  /** Announce to every instance (this one included). Best effort: never throws. */
  publish(notice: MemberEventNotice): void;
  /**
   * Start listening. `onLive(true)` once notices flow (again, after a reconnect), `onLive(false)`
   * when they may not: the bus polls meanwhile.
   */
  start(handlers: { onNotice(notice: MemberEventNotice): void; onLive(live: boolean): void }): void;
  close(): void;
}

export interface MemberEventBus {
  /** Listen for one user's events; returns the unsubscribe function. */
  subscribe(userId: string, listener: MemberEventListener): () => void;
  /**
   * After a local commit: check for new events now instead of at the next tick, and (with a
   * transport) announce the newest event id and auth epoch to every other instance.
   */
  poke(): void;
  /**
   * Delivers, before returning, the events written since the last look: by another process (seen
   * through SQLite's `data_version`, checked at most every CATCH_UP_EVERY_MS, or — while a
   * transport is live — through a flag its notices set) or after a `poke()` not yet served. Cheap
   * when nothing changed; does nothing with nobody subscribed.
   *
   * On PostgreSQL (no synchronous read exists) it starts that read at once and returns a promise
   * of its end; a caller that must act on what it finds (a chunk in hand) awaits it.
   */
  catchUp(): void | Promise<void>;
  /** Aborts when the bus closes (server shutdown), so live streams can end. */
  readonly closed: AbortSignal;
  close(): void;
}

/** How stale `catchUp()` may be about other processes' writes: ≤ 1 statement per ms per process. */
export const CATCH_UP_EVERY_MS = 1;

/** The newest event id and auth epoch on this database: what a writer announces after a commit. */
export function currentNotice(sqlite: Sqlite): MemberEventNotice {
  const eventId = sqlite.prepare<[], number | null>('select max(id) from member_events').pluck();
  const epoch = sqlite
    .prepare<[], string | number>("select value from app_meta where key = 'auth_epoch'")
    .pluck();
  return { eventId: eventId.get() ?? 0, authEpoch: Number(epoch.get() ?? 0) };
}

/** The outbox poll while a transport is live: a safety net for a lost notice, not the path. */
export const SAFETY_POLL_MS = 1_000;

export interface MemberEventBusOptions {
  /** The outbox poll while no transport is live (default 20 ms). */
  intervalMs?: number;
  onError?: (error: unknown) => void;
  /** Notices from other instances (decision 029); without one, today's polling alone. */
  transport?: MemberEventTransport;
  /** The poll interval while the transport is live (default SAFETY_POLL_MS). */
  safetyPollMs?: number;
  /** Called when another instance announces a newer auth epoch (drop older cache entries). */
  onAuthEpoch?: (epoch: number) => void;
}

export function createSqliteMemberEventBus(
  sqlite: Sqlite,
  options: MemberEventBusOptions = {},
): MemberEventBus {
  const { transport } = options;
  const fastPollMs = options.intervalMs ?? 20;
  const safetyPollMs = options.safetyPollMs ?? SAFETY_POLL_MS;
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
  const readEpoch = sqlite
    .prepare<[], string | number>("select value from app_meta where key = 'auth_epoch'")
    .pluck();
  let lastId = 0;
  let seenVersion = 0;
  let poked = false;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  const closing = new AbortController();
  // Transport state: notices flow; a notice announced ids this bus has not read yet; the newest
  // id and epoch announced by anyone (so a poke that changed nothing publishes nothing).
  let live = false;
  let noticed = false;
  let drainScheduled = false;
  let announcedId = 0;
  let announcedEpoch = 0;

  function drain() {
    try {
      poked = false;
      noticed = false;
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

  function startTimer() {
    timer = setInterval(drain, live ? safetyPollMs : fastPollMs);
    timer.unref();
  }

  function start() {
    seenVersion = dataVersion.get()!;
    lastId = readLast.get()?.id ?? 0;
    startTimer();
  }

  function drainSoon() {
    if (drainScheduled) return;
    drainScheduled = true;
    setImmediate(() => {
      drainScheduled = false;
      if (timer) drain();
    });
  }

  // After a local commit: tell the other instances what they have not been told yet.
  function announce() {
    if (!transport) return;
    try {
      const eventId = readLast.get()?.id ?? 0;
      const authEpoch = Number(readEpoch.get() ?? 0);
      if (eventId <= announcedId && authEpoch <= announcedEpoch) return;
      announcedId = Math.max(announcedId, eventId);
      announcedEpoch = Math.max(announcedEpoch, authEpoch);
      transport.publish({ eventId, authEpoch });
    } catch (error) {
      options.onError?.(error);
    }
  }

  transport?.start({
    onNotice(notice) {
      if (notice.authEpoch > announcedEpoch) {
        announcedEpoch = notice.authEpoch;
        options.onAuthEpoch?.(notice.authEpoch);
      }
      announcedId = Math.max(announcedId, notice.eventId);
      if (timer && notice.eventId > lastId) {
        noticed = true; // catchUp() before the next chunk reads the outbox
        drainSoon(); // and streams between chunks hear it now
      }
    },
    onLive(now) {
      if (now === live) return;
      live = now;
      if (!timer) return;
      // Fast polling while notices may be lost; back to the safety net (after reading what was
      // missed while the transport was away) once they flow again.
      clearInterval(timer);
      startTimer();
      if (live) {
        noticed = true;
        drainSoon();
      }
    },
  });

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
      announce();
      if (!timer) return;
      poked = true;
      setImmediate(drain);
    },
    catchUp() {
      if (!timer) return;
      if (live) {
        // The subscriber's flag stands for data_version: no shared file needed.
        if (poked || noticed) drain();
        return;
      }
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
      if (!closing.signal.aborted) transport?.close();
      closing.abort();
    },
  };
}
