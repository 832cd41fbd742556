// Keeps asking "does this member still qualify?" while a stream runs: on every member event (from
// any process) and at the earliest expiry among the marks they hold. The first "no" calls `onLost`
// with the typed reason and what would unlock it; the caller aborts the upstream request.
import type { Db } from '@tessera/db';
import type { DomainErrorCode } from '../errors.ts';
import type { MemberEventBus } from '../events/member-event-bus.ts';
import { readAuthEpoch } from '../member/auth-epoch.ts';
import {
  checkRequirement,
  type MemberRequirement,
  type Missing,
} from '../member/check-requirement.ts';
import { findUnlocks, type Unlock } from '../member/find-unlocks.ts';
import {
  buildMemberContext,
  earliestExpiry,
  type MemberContext,
} from '../member/member-context.ts';
import { memberStatements } from '../member/member-statements.ts';
import type { Stores } from '../storage/stores.ts';
import { unlocksOf } from './unlocks-of.ts';

export interface StopReason {
  code: DomainErrorCode;
  message: string;
  details?: Record<string, unknown>;
  /** What the member lacks (a model, a plugin, marks, headroom), when the refusal is a gate. */
  missing?: Missing;
  unlock?: Unlock[];
}

const MAX_TIMER_MS = 2_147_483_647;

export interface QualificationWatch {
  stop(): void;
  /**
   * PostgreSQL only: the re-check under way (after a member event, or the first one), which the
   * relay awaits before a chunk; undefined when none is (always on SQLite, where it is synchronous).
   */
  checking(): Promise<void> | undefined;
}

export function watchQualification(options: {
  /** On SQLite: re-check synchronously on this connection (decision 006), unchanged. */
  db?: Db;
  /** Otherwise (PostgreSQL): re-check through the stores, asynchronously. */
  stores?: Pick<Stores, 'members' | 'catalog'>;
  events?: MemberEventBus;
  now: () => Date;
  member: MemberContext;
  requirement: MemberRequirement;
  onLost: (reason: StopReason) => void;
}): QualificationWatch {
  if (options.db) return watchOnSqlite({ ...options, db: options.db });
  if (options.stores) return watchThroughStores({ ...options, stores: options.stores });
  throw new Error('watchQualification needs a SQLite `db` or the stores.');
}

const DISABLED: StopReason = {
  code: 'ACCOUNT_DISABLED',
  message: 'This account has been disabled.',
};

function watchOnSqlite(options: {
  db: Db;
  events?: MemberEventBus;
  now: () => Date;
  member: MemberContext;
  requirement: MemberRequirement;
  onLost: (reason: StopReason) => void;
}): QualificationWatch {
  const { db, member, requirement } = options;
  let timer: NodeJS.Timeout | undefined;
  let lost = false;

  // Re-check when the first held mark ends: the model, plugin or assistant may rely on it.
  const recheckAtExpiry = (context: MemberContext, now: Date) => {
    clearTimeout(timer);
    const next = earliestExpiry(context);
    if (next) {
      // At least a few ms: a clock that lags the timer must not spin.
      timer = setTimeout(
        reevaluate,
        Math.min(MAX_TIMER_MS, Math.max(5, next.getTime() - now.getTime())),
      );
      timer.unref();
    }
  };

  const reevaluate = () => {
    if (lost) return;
    const now = options.now();
    // A disabled (or deleted) account loses everything, whatever it holds.
    if (!memberStatements(db.$client).userEnabled.get(member.user.id)) {
      lost = true;
      options.onLost(DISABLED);
      return;
    }
    const fresh = buildMemberContext(db, { user: member.user, session: member.session }, now);
    const denial = checkRequirement(fresh, requirement);
    if (denial) {
      lost = true;
      const unlock = denial.missing ? findUnlocks(db, denial.missing, member.user.id) : [];
      options.onLost({ ...denial, unlock });
      return;
    }
    recheckAtExpiry(fresh, now);
  };

  // Subscribe first, then check: nothing that happens in between can be missed. Every event but a
  // credits change: the context holds no balance (running out of credits is the reservation's
  // business), and one arrives after each charged answer — a rebuild for nothing.
  const unsubscribe = options.events?.subscribe(member.user.id, (event) => {
    if (event.kind !== 'credits.changed') reevaluate();
  });
  // The request's own context is still current if it was built at today's auth epoch and none of
  // its marks has ended yet (the caller checked the requirement against it); else it is rebuilt.
  const now = options.now();
  const next = earliestExpiry(member);
  const current =
    member.epoch !== undefined &&
    member.epoch === readAuthEpoch(db.$client) &&
    (!next || next.getTime() > now.getTime());
  if (current) recheckAtExpiry(member, now);
  else reevaluate();
  return {
    stop() {
      clearTimeout(timer);
      unsubscribe?.();
    },
    checking: () => undefined,
  };
}

/**
 * The same watch through the stores (PostgreSQL): `currentMember` rebuilds the context bypassing
 * every cache (decision 037). Re-checks run one after another; the relay awaits the one under way
 * (after awaiting the bus's catch-up, decision 035), so "at most one chunk after a revoke" holds.
 */
function watchThroughStores(options: {
  stores: Pick<Stores, 'members' | 'catalog'>;
  events?: MemberEventBus;
  now: () => Date;
  member: MemberContext;
  requirement: MemberRequirement;
  onLost: (reason: StopReason) => void;
}): QualificationWatch {
  const { stores, member, requirement } = options;
  let timer: NodeJS.Timeout | undefined;
  let lost = false;
  let stopped = false;
  let pending: Promise<void> | undefined;

  const recheckAtExpiry = (context: MemberContext, now: Date) => {
    clearTimeout(timer);
    const next = earliestExpiry(context);
    if (next && !stopped) {
      timer = setTimeout(
        reevaluateSoon,
        Math.min(MAX_TIMER_MS, Math.max(5, next.getTime() - now.getTime())),
      );
      timer.unref();
    }
  };

  const reevaluate = async () => {
    if (lost || stopped) return;
    const now = options.now();
    const fresh = await stores.members.currentMember(
      { user: member.user, session: member.session },
      now,
    );
    if (lost || stopped) return;
    // A disabled (or deleted) account loses everything, whatever it holds.
    if (!fresh) {
      lost = true;
      options.onLost(DISABLED);
      return;
    }
    const denial = checkRequirement(fresh, requirement);
    if (denial) {
      lost = true;
      const unlock = denial.missing
        ? await unlocksOf(stores.catalog, denial.missing, member.user.id).catch(() => [])
        : [];
      options.onLost({ ...denial, unlock });
      return;
    }
    recheckAtExpiry(fresh, now);
  };

  // One re-check at a time, in order; a failed read (the database away) is tried again at the
  // next event rather than crashing the process.
  const enqueue = (check: () => Promise<void>) => {
    const run: Promise<void> = (pending ?? Promise.resolve())
      .then(check)
      .catch(() => {})
      .finally(() => {
        if (pending === run) pending = undefined;
      });
    pending = run;
  };
  function reevaluateSoon() {
    enqueue(reevaluate);
  }

  const unsubscribe = options.events?.subscribe(member.user.id, (event) => {
    if (event.kind !== 'credits.changed') reevaluateSoon();
  });
  // As on SQLite: the request's own context stands if built at today's auth epoch and none of its
  // marks has ended; else it is rebuilt. Either way, before the first chunk is relayed.
  enqueue(async () => {
    const now = options.now();
    const next = earliestExpiry(member);
    const current =
      member.epoch !== undefined &&
      member.epoch === (await stores.members.readAuthEpoch()) &&
      (!next || next.getTime() > now.getTime());
    if (current) recheckAtExpiry(member, now);
    else await reevaluate();
  });
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      unsubscribe?.();
    },
    checking: () => pending,
  };
}
