import type { Context } from '../context.ts';
import { DomainError } from '../errors.ts';
import {
  checkRequirement,
  type MemberRequirement,
  type QuotaSnapshot,
} from '../member/check-requirement.ts';
import { findUnlocksIn } from '../member/find-unlocks.ts';
import type { MemberContext } from '../member/member-context.ts';
import { t, toTRPCError } from '../trpc-init.ts';
import { mapResult } from './map-domain-errors.ts';

/** Checks a requirement against a member; throws the typed denial with what would unlock it. */
export async function assertRequirement(
  ctx: Pick<Context, 'stores' | 'timeZone'>,
  member: MemberContext,
  requirement: MemberRequirement,
): Promise<void> {
  const quota = requirement.quota ? await quotaSnapshot(ctx, member) : undefined;
  const denial = checkRequirement(member, requirement, quota);
  if (!denial) return;
  const unlock = denial.missing
    ? await findUnlocksIn(ctx.stores.catalog, denial.missing, member.user.id)
    : [];
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
async function assertAdminSecondFactor(
  ctx: Pick<Context, 'stores' | 'twoFactor'>,
  member: MemberContext,
  requirement: MemberRequirement,
): Promise<void> {
  if (!requirement.platformAdmin || !ctx.twoFactor.adminRequired) return;
  if (await ctx.stores.account.hasTwoFactor(member.user.id)) return;
  throw new DomainError(
    'TWO_FACTOR_REQUIRED',
    'Turn on two-factor authentication in Account to use the admin console.',
  );
}

async function quotaSnapshot(
  ctx: Pick<Context, 'stores' | 'timeZone'>,
  member: MemberContext,
): Promise<QuotaSnapshot> {
  const summary = await ctx.stores.chats.usageSummary({
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
      await assertRequirement(ctx, member, requirement);
      await assertAdminSecondFactor(ctx, member, requirement);
    } catch (error) {
      throw error instanceof DomainError ? toTRPCError(error) : error;
    }
    // This middleware also maps domain errors (see trpc.ts): one level of wrapping, not two.
    return mapResult(await next({ ctx: { user: auth.user, session: auth.session, member } }));
  });
}
