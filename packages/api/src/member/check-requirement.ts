// The gate as a pure function: given what the member holds and what a procedure needs, either
// null (allowed) or a typed denial the error table turns into 402/403/429.
import type { DomainErrorCode, DomainErrorDetails } from '../errors.ts';
import type { MemberContext } from './member-context.ts';

export interface MemberRequirement {
  /** The caller must be a platform owner or admin. */
  platformAdmin?: boolean;
}

export interface Denial {
  code: DomainErrorCode;
  message: string;
  details?: DomainErrorDetails;
}

export function checkRequirement(
  member: MemberContext,
  requirement: MemberRequirement,
): Denial | null {
  if (requirement.platformAdmin && !member.isPlatformAdmin) {
    return {
      code: 'FORBIDDEN',
      message: 'Only platform admins can do this.',
      details: { requires: 'platform_admin' },
    };
  }
  return null;
}
