import type { Locale, TranslateFn } from '../i18n/translate.ts';
import { type Denial, toDenial } from './denial.ts';
import { describeError, type Lookup } from './errorMessages.ts';
import type { AppError } from './errors.ts';
import type { StopReason } from './trpc.ts';

/**
 * What the chat says when an answer is refused or cut off, from the stream's typed reason:
 * pure, so the wording is tested without a browser.
 */

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The reason as a denial (what is missing and what unlocks it), for UpgradePrompt; null when it
 * is not a plan refusal. `modelName` names the model the way the picker does.
 */
export function reasonToDenial(reason: StopReason, modelName: string): Denial | null {
  const missing = (reason as { missing?: unknown }).missing;
  const denial = toDenial({
    data: {
      domainCode: reason.code,
      details: { ...reason.details, missing, unlock: reason.unlock ?? [] },
    },
  });
  if (denial?.code === 'MODEL_NOT_IN_PLAN') {
    return { ...denial, missing: { kind: 'model', model: modelName } };
  }
  return denial;
}

/** The reason as the error shape `describeError` reads (codes, details, retry-after). */
function reasonAsError(reason: StopReason): AppError {
  const details = isRecord(reason.details) ? reason.details : null;
  const retry = details?.retryAfterSeconds;
  return {
    domainCode: reason.code,
    fieldErrors: {},
    retryAfterSeconds: typeof retry === 'number' ? Math.max(0, Math.ceil(retry)) : null,
    httpStatus: null,
    trpcCode: null,
    isNetworkError: false,
    details,
  };
}

export type RefusalKind = 'upgrade' | 'quota' | 'credits' | 'rate' | 'other';

export interface RefusalView {
  kind: RefusalKind;
  /** One sentence: what happened and, where the reason says, when it comes back. */
  text: string;
  /** Quota refusals: when the window resets (ISO), for a live countdown. */
  resetsAt: string | null;
}

/** How a refusal is shown in place of the answer. */
export function refusalView(reason: StopReason, lookup: Lookup, locale: Locale): RefusalView {
  const text = describeError(reasonAsError(reason), lookup, locale);
  const details = isRecord(reason.details) ? reason.details : {};
  switch (reason.code) {
    case 'MODEL_NOT_IN_PLAN':
    case 'MARK_REQUIRED':
    case 'FEATURE_NOT_IN_PLAN':
    case 'PLAN_REQUIRED':
      return { kind: 'upgrade', text, resetsAt: null };
    case 'QUOTA_EXCEEDED':
      return {
        kind: 'quota',
        text,
        resetsAt: typeof details.resetsAt === 'string' ? details.resetsAt : null,
      };
    case 'INSUFFICIENT_CREDITS':
      return { kind: 'credits', text, resetsAt: null };
    case 'RATE_LIMITED':
      return { kind: 'rate', text, resetsAt: null };
    default:
      return { kind: 'other', text, resetsAt: null };
  }
}

/**
 * The headline of a cut-off. Losing the model names the membership that ended when the member
 * held one of the marks that grant it at the start ("Your Pro membership ended while this answer
 * was being written."); other reasons say why in the reason's own words.
 */
export function cutOffHeadline(
  reason: StopReason,
  heldMarks: readonly string[],
  modelName: string,
  t: TranslateFn,
  lookup: Lookup,
  locale: Locale,
): string {
  if (reason.code === 'MODEL_NOT_IN_PLAN') {
    const lost = (reason.unlock ?? []).find((unlock) => heldMarks.includes(unlock.markKey));
    return lost
      ? t('chat.cutOff.markEnded', { mark: lost.markName })
      : t('chat.cutOff.modelLost', { model: modelName });
  }
  return t('chat.cutOff.generic', {
    reason: describeError(reasonAsError(reason), lookup, locale),
  });
}

/** A stored answer's status as a tag: cut off, stopped or failed; null for complete answers. */
export type StatusTag = 'cut_off' | 'aborted' | 'error';

export function statusTag(status: string | null): StatusTag | null {
  return status === 'cut_off' || status === 'aborted' || status === 'error' ? status : null;
}

/** Why a stored answer was cut off, translated when its code is known (else its message). */
export function storedEndReason(endReason: unknown, lookup: Lookup): string | null {
  if (!isRecord(endReason)) return null;
  const code = typeof endReason.code === 'string' ? endReason.code : null;
  const message = typeof endReason.message === 'string' ? endReason.message : null;
  return (code && lookup(`errors.${code}`)) ?? message;
}
