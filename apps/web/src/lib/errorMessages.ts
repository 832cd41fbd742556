import type { ParamValue } from '../i18n/translate.ts';
import { type AppError, hasFieldErrors } from './errors.ts';

/** Looks a run-time key up in the current dictionary (see LocaleContextValue.lookup). */
export type Lookup = (key: string, params?: Record<string, ParamValue>) => string | undefined;

/** A translated message for one field error code; unknown codes show the code itself. */
export function describeFieldError(code: string, lookup: Lookup): string {
  return lookup(`fieldErrors.${code}`) ?? lookup('fieldErrors.unknown', { code }) ?? code;
}

/**
 * The form-level message for an error, or null when the field errors already say it all.
 * `VALIDATION` with field errors is shown on the fields only.
 */
export function describeFormError(error: AppError, lookup: Lookup): string | null {
  if (error.isNetworkError) return lookup('errors.network') ?? 'Network error';
  const code = error.domainCode;
  if ((code === null || code === 'VALIDATION') && hasFieldErrors(error)) return null;
  if (code === 'TOO_MANY_ATTEMPTS' && error.retryAfterSeconds !== null) {
    return lookup('errors.TOO_MANY_ATTEMPTS_RETRY', { seconds: error.retryAfterSeconds }) ?? code;
  }
  const shown = code ?? error.trpcCode ?? String(error.httpStatus ?? 'UNKNOWN');
  return (code && lookup(`errors.${code}`)) ?? lookup('errors.unknown', { code: shown }) ?? shown;
}
