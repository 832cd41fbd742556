// The procedure ladder. Routers may use exactly these builders:
//   publicProcedure → authedProcedure → memberProcedure(requirement)

import type { MemberRequirement } from './member/check-requirement.ts';
import { mapDomainErrors } from './middleware/map-domain-errors.ts';
import { requireMember } from './middleware/require-member.ts';
import { requireSession } from './middleware/require-session.ts';
import { rejectHostileInput } from './middleware/screen-input.ts';
import { t } from './trpc-init.ts';

export { toTRPCError } from './trpc-init.ts';
export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// Every procedure screens its raw input first: the same rule for all, before auth or schemas.
const screenedProcedure = t.procedure.use(rejectHostileInput);

export const publicProcedure = screenedProcedure.use(mapDomainErrors);

export const authedProcedure = publicProcedure.use(requireSession);

/** A procedure with `ctx.member` built, and the caller meeting `requirement` (if any). */
export function memberProcedure(requirement: MemberRequirement = {}) {
  // requireMember maps domain errors itself, so it starts from the screened procedure.
  return screenedProcedure.use(requireMember(requirement));
}
