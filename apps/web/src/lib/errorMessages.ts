import type { ParamValue } from '../i18n/translate.ts';
import type { AppError } from './errors.ts';

/** Looks a run-time key up in the current dictionary (see LocaleContextValue.lookup). */
export type Lookup = (key: string, params?: Record<string, ParamValue>) => string | undefined;

/** A translated message for one field error code; unknown codes show the code itself. */
export function describeFieldError(code: string, lookup: Lookup): string {
  return lookup(`fieldErrors.${code}`) ?? lookup('fieldErrors.unknown', { code }) ?? code;
}

/** One sentence for an error, for a toast or an alert. Unknown codes show the code itself. */
export function describeError(error: AppError, lookup: Lookup): string {
  if (error.isNetworkError) return lookup('errors.network') ?? 'Network error';
  const code = error.domainCode;
  if (code === 'TOO_MANY_ATTEMPTS' && error.retryAfterSeconds !== null) {
    return lookup('errors.TOO_MANY_ATTEMPTS_RETRY', { seconds: error.retryAfterSeconds }) ?? code;
  }
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
