// The gate as a pure function: given what the member holds and what a procedure needs, either
// null (allowed) or a typed denial. The error table turns denials into 402/403.

import { WINDOW_ADJECTIVE } from '../domain/usage/periods.ts';
import type { DomainErrorCode } from '../errors.ts';
import type { MemberContext } from './member-context.ts';

export interface MemberRequirement {
  /** The caller must be a platform owner or admin. */
  platformAdmin?: boolean;
  /** The caller must hold at least one of these mark keys. */
  marks?: readonly string[];
  /** The caller's entitlements must list this model. */
  model?: string;
  /** The caller's entitlements must list this plugin/feature. */
  feature?: string;
  /** The caller's entitlements must grant API access. */
  apiAccess?: boolean;
  /**
   * The caller must have request headroom left today and this month. Checking headroom is the
   * gate's job; spending it stays with the domain's guarded increment (admission).
   */
  quota?: boolean;
}

/** Requests used against the limits that apply, for the windows a `quota` requirement checks. */
export interface QuotaSnapshot {
  day: { used: number; limit: number | null; resetsAt: Date };
  month: { used: number; limit: number | null; resetsAt: Date };
}

/** What is missing, in terms a catalog lookup can turn into "buy this plan". */
export type Missing =
  | { kind: 'marks'; marks: readonly string[] }
  | { kind: 'model'; model: string }
  | { kind: 'feature'; feature: string }
  | { kind: 'apiAccess' }
  | { kind: 'quota'; window: 'day' | 'month'; limit: number | null };

export interface Denial {
  code: DomainErrorCode;
  message: string;
  missing?: Missing;
  details?: Record<string, unknown>;
}

export function checkRequirement(
  member: MemberContext,
  requirement: MemberRequirement,
  quota?: QuotaSnapshot,
): Denial | null {
  if (requirement.platformAdmin && !member.isPlatformAdmin) {
    return { code: 'FORBIDDEN', message: 'Only platform admins can do this.' };
  }
  if (requirement.marks && requirement.marks.length > 0) {
    const held = new Set(member.memberships.map((m) => m.markKey));
    if (!requirement.marks.some((key) => held.has(key))) {
      return {
        code: 'MARK_REQUIRED',
        message: `This needs one of: ${requirement.marks.join(', ')}.`,
        missing: { kind: 'marks', marks: requirement.marks },
      };
    }
  }
  if (requirement.model !== undefined && !member.entitlements.models.includes(requirement.model)) {
    return {
      code: 'MODEL_NOT_IN_PLAN',
      message: `Your plan does not include the model "${requirement.model}".`,
      missing: { kind: 'model', model: requirement.model },
    };
  }
  if (
    requirement.feature !== undefined &&
    !member.entitlements.plugins.includes(requirement.feature)
  ) {
    return {
      code: 'FEATURE_NOT_IN_PLAN',
      message: `Your plan does not include "${requirement.feature}".`,
      missing: { kind: 'feature', feature: requirement.feature },
    };
  }
  if (requirement.apiAccess && !member.entitlements.apiAccess) {
    return {
      code: 'PLAN_REQUIRED',
      message: 'API access needs a plan that includes it.',
      missing: { kind: 'apiAccess' },
    };
  }
  if (requirement.quota && quota) {
    for (const window of ['day', 'month'] as const) {
      const { used, limit, resetsAt } = quota[window];
      if (limit !== null && used >= limit) {
        return {
          code: 'QUOTA_EXCEEDED',
          message: `The ${WINDOW_ADJECTIVE[window]} request limit is reached.`,
          missing: { kind: 'quota', window, limit },
          details: { window, limit, resetsAt: resetsAt.toISOString() },
        };
      }
    }
  }
  return null;
}
