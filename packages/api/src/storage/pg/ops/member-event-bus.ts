// The member-event bus on PostgreSQL (decisions 006, 029, 035): the same seam as
// createSqliteMemberEventBus — subscribers, pokes, notices from a transport, a fast poll while no
// transport is live and a safety poll while one is — over a commit-ordered cursor.
//
// Why not `id > last`: an identity id is taken at insert, visibility comes at commit. A transaction
// holding id 41 may commit after one holding 42; a reader that saw 42 would skip 41 for good (a
// revoke that never cuts its stream). So each row records its writer's top-level transaction
// (`member_events.txid`, pg migration 0005) and the cursor is the reader's last SNAPSHOT: the next
// read returns exactly the rows whose transaction that snapshot did not see as finished
// (`not pg_visible_in_snapshot(txid, last)`), read together with the new snapshot in one
// statement. A row visible to one read is never returned by the next; a row of a transaction still
// running at one read is returned by the first read after its commit, whatever its id. The index on
// `txid` bounds the scan to transactions from the last snapshot's xmin on.
//
// A database read cannot be synchronous, so `catchUp()` (before each chunk) starts the read at
// once when a notice or a local poke is pending and returns a promise of its end. Without a
// transport there is no cheap "did anyone commit?" (SQLite's data_version): other writers are
// found by the 20 ms poll, and decision 029 requires REDIS_URL for several instances on PostgreSQL.
import type pg from 'pg';
import type {
  DeliveredMemberEvent,
  MemberEventBus,
  MemberEventBusOptions,
  MemberEventListener,
  MemberEventNotice,
} from '../../../events/member-event-bus.ts';
import { SAFETY_POLL_MS } from '../../../events/member-event-bus.ts';
import { EVERY_MEMBER } from '../../../events/outbox.ts';

type Pool = Pick<pg.Pool, 'query'>;

/** The snapshot now: everything visible to it counts as read (the bus starts from here). */
const SNAPSHOT_SQL = 'select pg_current_snapshot()::text as snapshot';

/**
 * Rows committed since the snapshot `$1` (exactly those it did not see), with the statement's own
 * snapshot as the next cursor. The left join keeps one row (the snapshot) when nothing is new.
 */
export const READ_SINCE_SQL = `with s as (select pg_current_snapshot() as now)
select s.now::text as snapshot, e.id, e.user_id, e.kind, e.mark_key, e.created_at
  from s left join member_events e
    on e.txid >= pg_snapshot_xmin($1::pg_snapshot)
   and not pg_visible_in_snapshot(e.txid, $1::pg_snapshot)
 order by e.id`;

/** What a writer announces, and whether anything committed since the snapshot `$1` (null: unknown). */
const NOTICE_SQL = `select coalesce((select max(id) from member_events), 0) as event_id,
       coalesce((select value from app_meta where key = 'auth_epoch'), '0') as auth_epoch,
       exists (select 1 from member_events
                where txid >= pg_snapshot_xmin($1::pg_snapshot)
                  and not pg_visible_in_snapshot(txid, $1::pg_snapshot)) as fresh,
       pg_current_snapshot()::text as snapshot`;

interface ReadRow {
  snapshot: string;
  id: number | string | null;
  user_id: string | null;
  kind: string | null;
  mark_key: string | null;
  created_at: number | string | null;
}

/** The newest event id and auth epoch on this database (the PostgreSQL `currentNotice`). */
export async function currentNoticePg(pool: Pool): Promise<MemberEventNotice> {
  const { rows } = await pool.query<{ event_id: number | string; auth_epoch: string }>({
    name: 'tessera_member_events_notice',
    text: NOTICE_SQL,
    values: [null],
  });
  return { eventId: Number(rows[0]?.event_id ?? 0), authEpoch: Number(rows[0]?.auth_epoch ?? 0) };
}

/**
 * Runs `work` now, or — when a run is in flight (it may have started before what the caller wants
 * seen) — once more right after it; concurrent callers share that one follow-up run.
 */
function serialized(work: () => Promise<void>): () => Promise<void> {
  let current: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const run = (): Promise<void> => {
    if (!current) {
      current = work().finally(() => {
        current = null;
      });
      return current;
    }
    next ??= current.then(() => {
      next = null;
      return run();
    });
    return next;
  };
  return run;
}

export function createPgMemberEventBus(
  pool: Pool,
  options: MemberEventBusOptions = {},
): MemberEventBus {
  const { transport } = options;
  const fastPollMs = options.intervalMs ?? 20;
  const safetyPollMs = options.safetyPollMs ?? SAFETY_POLL_MS;
  const listeners = new Map<string, Set<MemberEventListener>>();
  const onError = (error: unknown) => options.onError?.(error);
  /** The snapshot of the last read: the bus has delivered every row visible to it. */
  let cursor: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  const closing = new AbortController();
  let live = false;
  /** A notice or a local poke not yet served by a read that started after it. */
  let pending = false;
  let drainScheduled = false;
  let announcedId = 0;
  let announcedEpoch = 0;
  let announcedSnapshot: string | null = null;

  async function takeSnapshot(): Promise<string> {
    const { rows } = await pool.query<{ snapshot: string }>({
      name: 'tessera_member_events_snapshot',
      text: SNAPSHOT_SQL,
    });
    return rows[0]!.snapshot;
  }

  // The cursor starts when the bus is made (the server makes it at start-up), not at the first
  // subscription: a subscriber reads its backlog right after subscribing, and an event committed
  // in between must be delivered. It is kept while nobody listens, so the first read after an
  // idle spell reads what was written meanwhile (delivered to whoever listens by then).
  const started = takeSnapshot().then(
    (snapshot) => {
      cursor ??= snapshot;
    },
    (error: unknown) => onError(error),
  );

  function deliver(event: DeliveredMemberEvent) {
    if (event.userId === EVERY_MEMBER) {
      for (const set of listeners.values()) for (const listener of set) listener(event);
    } else {
      for (const listener of listeners.get(event.userId) ?? []) listener(event);
    }
  }

  const drain = serialized(async () => {
    pending = false;
    try {
      await started;
      if (cursor === null) {
        cursor = await takeSnapshot(); // the start-up snapshot failed: start from now
        return;
      }
      const { rows } = await pool.query<ReadRow>({
        name: 'tessera_member_events_since',
        text: READ_SINCE_SQL,
        values: [cursor],
      });
      if (rows[0]) cursor = rows[0].snapshot;
      for (const row of rows) {
        if (row.id === null || row.user_id === null || row.kind === null) continue;
        deliver({
          id: Number(row.id),
          userId: row.user_id,
          kind: row.kind,
          markKey: row.mark_key,
          createdAt: Number(row.created_at),
        });
      }
    } catch (error) {
      // The cursor did not move: the next read returns the same rows.
      onError(error);
    }
  });

  function startTimer() {
    timer = setInterval(() => void drain(), live ? safetyPollMs : fastPollMs);
    timer.unref();
  }

  function drainSoon() {
    if (drainScheduled) return;
    drainScheduled = true;
    setImmediate(() => {
      drainScheduled = false;
      if (timer && pending) void drain(); // unless a catchUp() has served it meanwhile
    });
  }

  // After a local commit: tell the other instances, unless nothing committed since the last
  // announcement. "Nothing" is judged by snapshot, not by the newest id: a late commit of a lower
  // id leaves max(id) unchanged and must still be announced.
  const announce = serialized(async () => {
    if (!transport) return;
    try {
      const { rows } = await pool.query<{
        event_id: number | string;
        auth_epoch: string;
        fresh: boolean;
        snapshot: string;
      }>({ name: 'tessera_member_events_notice', text: NOTICE_SQL, values: [announcedSnapshot] });
      const row = rows[0];
      if (!row) return;
      const eventId = Number(row.event_id);
      const authEpoch = Number(row.auth_epoch);
      announcedSnapshot = row.snapshot;
      if (!row.fresh && eventId <= announcedId && authEpoch <= announcedEpoch) return;
      announcedId = Math.max(announcedId, eventId);
      announcedEpoch = Math.max(announcedEpoch, authEpoch);
      transport.publish({ eventId, authEpoch });
    } catch (error) {
      onError(error);
    }
  });

  transport?.start({
    onNotice(notice) {
      if (notice.authEpoch > announcedEpoch) {
        announcedEpoch = notice.authEpoch;
        options.onAuthEpoch?.(notice.authEpoch);
      }
      announcedId = Math.max(announcedId, notice.eventId);
      // Every notice is read for: its id may be below one already delivered (a late commit).
      if (timer) {
        pending = true;
        drainSoon();
      }
    },
    onLive(now) {
      if (now === live) return;
      live = now;
      if (!timer) return;
      clearInterval(timer);
      startTimer();
      if (live) {
        pending = true; // read what was missed while notices could not arrive
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
      if (!timer) {
        startTimer();
        pending = true; // the gap since the last read (or since start-up), before the first tick
        drainSoon();
      }
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
      void announce();
      if (!timer) return;
      pending = true;
      drainSoon();
    },
    catchUp() {
      if (!timer || !pending) return;
      return drain();
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
