import type { Context } from '../context.ts';
import { DomainError } from '../errors.ts';
import { checkRequirement, type MemberRequirement } from '../member/check-requirement.ts';
import { findUnlocks } from '../member/find-unlocks.ts';
import type { MemberContext } from '../member/member-context.ts';
import { t, toTRPCError } from '../trpc-init.ts';
import { mapResult } from './map-domain-errors.ts';

/** Checks a requirement against a member; throws the typed denial with what would unlock it. */
export function assertRequirement(
  ctx: Pick<Context, 'db'>,
  member: MemberContext,
  requirement: MemberRequirement,
): void {
  const denial = checkRequirement(member, requirement);
  if (!denial) return;
  const unlock = denial.missing ? findUnlocks(ctx.db, denial.missing) : [];
  throw new DomainError(denial.code, denial.message, { missing: denial.missing ?? null, unlock });
}

/**
 * Builds `ctx.member` once per request and checks the procedure's requirement against it. It also
 * resolves the session itself rather than stacking on requireSession: one middleware instead of
 * two keeps the gate's cost to the queries it must run (see apps/server/bench).
 */
export function requireMember(requirement: MemberRequirement) {
  return t.middleware(async ({ ctx, next }) => {
    const auth = ctx.auth();
    if (!auth) throw toTRPCError(new DomainError('UNAUTHENTICATED', 'Sign in to continue.'));
    const member = auth.member(ctx.now());
    try {
      assertRequirement(ctx, member, requirement);
    } catch (error) {
      throw error instanceof DomainError ? toTRPCError(error) : error;
    }
    // This middleware also maps domain errors (see trpc.ts): one level of wrapping, not two.
    return mapResult(await next({ ctx: { user: auth.user, session: auth.session, member } }));
  });
}
