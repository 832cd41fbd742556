// Keeps asking "does this member still qualify?" while a stream runs: on every member event (from
// any process) and at the earliest expiry among the marks they hold. The first "no" calls `onLost`
// with the typed reason and what would unlock it; the caller aborts the upstream request.
import type { Db } from '@tessera/db';
import type { DomainErrorCode } from '../errors.ts';
import type { MemberEventBus } from '../events/member-event-bus.ts';
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

export interface StopReason {
  code: DomainErrorCode;
  message: string;
  details?: Record<string, unknown>;
  /** What the member lacks (a model, a plugin, marks, headroom), when the refusal is a gate. */
  missing?: Missing;
  unlock?: Unlock[];
}

const MAX_TIMER_MS = 2_147_483_647;

export function watchQualification(options: {
  db: Db;
  events?: MemberEventBus;
  now: () => Date;
  member: MemberContext;
  requirement: MemberRequirement;
  onLost: (reason: StopReason) => void;
}): { stop(): void } {
  const { db, member, requirement } = options;
  let timer: NodeJS.Timeout | undefined;
  let lost = false;

  const reevaluate = () => {
    if (lost) return;
    const now = options.now();
    const fresh = buildMemberContext(db, { user: member.user, session: member.session }, now);
    const denial = checkRequirement(fresh, requirement);
    if (denial) {
      lost = true;
      options.onLost({ ...denial, unlock: denial.missing ? findUnlocks(db, denial.missing) : [] });
      return;
    }
    clearTimeout(timer);
    // Re-check when the first held mark ends: the model, plugin or assistant may rely on it.
    const next = earliestExpiry(fresh);
    if (next) {
      // At least a few ms: a clock that lags the timer must not spin.
      timer = setTimeout(
        reevaluate,
        Math.min(MAX_TIMER_MS, Math.max(5, next.getTime() - now.getTime())),
      );
      timer.unref();
    }
  };

  // Subscribe first, then check: nothing that happens in between can be missed.
  const unsubscribe = options.events?.subscribe(member.user.id, reevaluate);
  reevaluate();
  return {
    stop() {
      clearTimeout(timer);
      unsubscribe?.();
    },
  };
}
