import type { Locale, ParamValue } from '../i18n/translate.ts';
import { formatCredits } from './credits.ts';
import type { AppError } from './errors.ts';
import { formatMoment } from './format.ts';

/** Looks a run-time key up in the current dictionary (see LocaleContextValue.lookup). */
export type Lookup = (key: string, params?: Record<string, ParamValue>) => string | undefined;

/** A translated message for one field error code; unknown codes show the code itself. */
/** A field error code, optionally with what it is about after a colon (`OVER_CEILING:a,b`). */
export function describeFieldError(code: string, lookup: Lookup): string {
  const colon = code.indexOf(':');
  const name = colon === -1 ? code : code.slice(0, colon);
  const value = colon === -1 ? '' : code.slice(colon + 1).replaceAll(',', ', ');
  return (
    lookup(`fieldErrors.${name}`, { value }) ?? lookup('fieldErrors.unknown', { code }) ?? code
  );
}

/**
 * Quota, rate and credit refusals say when it comes back or how much is missing, from the error's
 * details; numbers and times need the locale. Undefined when the details do not say.
 */
function describeUsageRefusal(error: AppError, lookup: Lookup, locale: Locale): string | undefined {
  const details = error.details ?? {};
  const code = error.domainCode;
  if (code === 'QUOTA_EXCEEDED' && typeof details.resetsAt === 'string') {
    const time = formatMoment(details.resetsAt, locale, { time: 'always' });
    return details.window === 'month'
      ? lookup('errors.QUOTA_EXCEEDED_month', { time })
      : lookup('errors.QUOTA_EXCEEDED_day', { time });
  }
  if (code === 'RATE_LIMITED' && error.retryAfterSeconds !== null) {
    return lookup('errors.RATE_LIMITED_RETRY', { seconds: error.retryAfterSeconds });
  }
  if (code === 'INSUFFICIENT_CREDITS') {
    if (details.monthlyCapReached === true) return lookup('errors.INSUFFICIENT_CREDITS_CAP');
    if (typeof details.needed === 'number' && typeof details.available === 'number') {
      return lookup('errors.INSUFFICIENT_CREDITS_DETAIL', {
        needed: formatCredits(details.needed, locale),
        available: formatCredits(details.available, locale),
      });
    }
  }
  return undefined;
}

/**
 * One sentence for an error, for a toast or an alert. Unknown codes show the code itself. With a
 * locale, quota and credit refusals also say when the quota resets or how much is missing.
 */
export function describeError(error: AppError, lookup: Lookup, locale?: Locale): string {
  if (error.isNetworkError) return lookup('errors.network') ?? 'Network error';
  const code = error.domainCode;
  if (code === 'TOO_MANY_ATTEMPTS' && error.retryAfterSeconds !== null) {
    return lookup('errors.TOO_MANY_ATTEMPTS_RETRY', { seconds: error.retryAfterSeconds }) ?? code;
  }
  const detailed = locale ? describeUsageRefusal(error, lookup, locale) : undefined;
  if (detailed) return detailed;
  // Some refusals name their case (`reason: 'expired'`, `mode: 'invite'`): a message of its own.
  const variant = error.details?.reason ?? error.details?.mode;
  const specific = code && typeof variant === 'string' && lookup(`errors.${code}.${variant}`);
  if (specific) return specific;
  const shown = code ?? error.trpcCode ?? String(error.httpStatus ?? 'UNKNOWN');
  return (code && lookup(`errors.${code}`)) ?? lookup('errors.unknown', { code: shown }) ?? shown;
}

/**
 * What a form shows above its fields. Field errors belong under their inputs, so when the
 * server sent any, only those for fields the form does not show are listed here; otherwise the
 * error itself is described. Null means there is nothing to say above the fields.
 */
export function formLevelMessage(
  error: AppError,
  shownFields: readonly string[],
  lookup: Lookup,
): string | null {
  const entries = Object.entries(error.fieldErrors);
  if (entries.length === 0) return describeError(error, lookup);
  const stray = entries
    .filter(([field]) => !shownFields.includes(field))
    .flatMap(([, codes]) => codes.map((code) => describeFieldError(code, lookup)));
  return stray.length > 0 ? stray.join(' ') : null;
}
