import type { SessionUser, ValidSession } from '../auth/sessions.ts';
import type { Context } from '../context.ts';
import { DomainError } from '../errors.ts';
import { checkRequirement, type MemberRequirement } from '../member/check-requirement.ts';
import { findUnlocks } from '../member/find-unlocks.ts';
import { buildMemberContext, type MemberContext } from '../member/member-context.ts';
import { t, toTRPCError } from '../trpc-init.ts';

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

/** Builds `ctx.member` once per request and checks the procedure's requirement against it. */
export function requireMember(requirement: MemberRequirement) {
  return t.middleware(({ ctx, next }) => {
    const { user, session } = ctx as Context & { user: SessionUser; session: ValidSession };
    const member = buildMemberContext(ctx.db, { user, session }, ctx.now());
    try {
      assertRequirement(ctx, member, requirement);
    } catch (error) {
      throw error instanceof DomainError ? toTRPCError(error) : error;
    }
    return next({ ctx: { member } });
  });
}
