import { hasTwoFactor } from '../auth/two-factor/totp.ts';
import type { Context } from '../context.ts';
import { getUsageSummary } from '../domain/usage/get-usage-summary.ts';
import { DomainError } from '../errors.ts';
import {
  checkRequirement,
  type MemberRequirement,
  type QuotaSnapshot,
} from '../member/check-requirement.ts';
import { findUnlocks } from '../member/find-unlocks.ts';
import type { MemberContext } from '../member/member-context.ts';
import { t, toTRPCError } from '../trpc-init.ts';
import { mapResult } from './map-domain-errors.ts';

/** Checks a requirement against a member; throws the typed denial with what would unlock it. */
export function assertRequirement(
  ctx: Pick<Context, 'db' | 'timeZone'>,
  member: MemberContext,
  requirement: MemberRequirement,
): void {
  const quota = requirement.quota ? quotaSnapshot(ctx, member) : undefined;
  const denial = checkRequirement(member, requirement, quota);
  if (!denial) return;
  const unlock = denial.missing ? findUnlocks(ctx.db, denial.missing, member.user.id) : [];
  throw new DomainError(denial.code, denial.message, {
    ...denial.details,
    missing: denial.missing ?? null,
    unlock,
  });
}

/**
 * With ADMIN_TWO_FACTOR_REQUIRED on, a platform admin without TOTP gets TWO_FACTOR_REQUIRED from
 * every admin procedure (the SPA sends them to enrolment) — a stolen admin password alone no longer
 * opens the console. Only read for admin procedures, so members pay nothing for it.
 */
function assertAdminSecondFactor(
  ctx: Pick<Context, 'db' | 'twoFactor'>,
  member: MemberContext,
  requirement: MemberRequirement,
): void {
  if (!requirement.platformAdmin || !ctx.twoFactor.adminRequired) return;
  if (hasTwoFactor(ctx.db, member.user.id)) return;
  throw new DomainError(
    'TWO_FACTOR_REQUIRED',
    'Turn on two-factor authentication in Account to use the admin console.',
  );
}

function quotaSnapshot(
  ctx: Pick<Context, 'db' | 'timeZone'>,
  member: MemberContext,
): QuotaSnapshot {
  const summary = getUsageSummary(ctx.db, {
    userId: member.user.id,
    entitlements: member.entitlements,
    now: member.evaluatedAt,
    timeZone: ctx.timeZone,
  });
  return {
    day: { used: summary.day.requests, limit: summary.day.limit, resetsAt: summary.day.resetsAt },
    month: {
      used: summary.month.requests,
      limit: summary.month.limit,
      resetsAt: summary.month.resetsAt,
    },
  };
}

/**
 * Builds `ctx.member` once per request and checks the procedure's requirement against it. It also
 * resolves the session itself rather than stacking on requireSession: one middleware instead of
 * two keeps the gate's cost to the queries it must run (see apps/server/bench).
 */
export function requireMember(requirement: MemberRequirement) {
  return t.middleware(async ({ ctx, next }) => {
    const auth = await ctx.auth();
    if (!auth) throw toTRPCError(new DomainError('UNAUTHENTICATED', 'Sign in to continue.'));
    const member = await auth.member(ctx.now());
    try {
      assertRequirement(ctx, member, requirement);
      assertAdminSecondFactor(ctx, member, requirement);
    } catch (error) {
      throw error instanceof DomainError ? toTRPCError(error) : error;
    }
    // This middleware also maps domain errors (see trpc.ts): one level of wrapping, not two.
    return mapResult(await next({ ctx: { user: auth.user, session: auth.session, member } }));
  });
}
