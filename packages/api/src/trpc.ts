// The procedure ladder. Routers may use exactly these builders:
//   publicProcedure → authedProcedure → memberProcedure(requirement)

import type { MemberRequirement } from './member/check-requirement.ts';
import { mapDomainErrors } from './middleware/map-domain-errors.ts';
import { requireMember } from './middleware/require-member.ts';
import { requireSession } from './middleware/require-session.ts';
import { t } from './trpc-init.ts';

export { toTRPCError } from './trpc-init.ts';
export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(mapDomainErrors);

export const authedProcedure = publicProcedure.use(requireSession);

/** A procedure with `ctx.member` built, and the caller meeting `requirement` (if any). */
export function memberProcedure(requirement: MemberRequirement = {}) {
  // requireMember maps domain errors itself, so it starts from the bare procedure.
  return t.procedure.use(requireMember(requirement));
}
