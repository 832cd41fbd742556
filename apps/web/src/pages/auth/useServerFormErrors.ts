import type { FormInstance } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useLocale } from '../../i18n/useT.ts';
import { describeFieldError, formLevelMessage } from '../../lib/errorMessages.ts';
import { toAppError } from '../../lib/errors.ts';

/**
 * Puts a server error where it belongs: field codes under their inputs (translated), the rest
 * in one form-level message. While a `TOO_MANY_ATTEMPTS` wait runs, `lockedSeconds` counts down.
 */
export function useServerFormErrors(
  form: FormInstance,
  fieldNames: readonly string[],
  error: unknown,
) {
  const { lookup } = useLocale();
  const appError = useMemo(() => (error ? toAppError(error) : null), [error]);
  const lockedSeconds = useCountdown(appError?.retryAfterSeconds ?? null);

  useEffect(() => {
    if (!appError) return;
    const fields = fieldNames
      .filter((name) => appError.fieldErrors[name])
      .map((name) => ({
        name,
        errors: (appError.fieldErrors[name] ?? []).map((code) => describeFieldError(code, lookup)),
      }));
    if (fields.length > 0) form.setFields(fields);
  }, [appError, fieldNames, form, lookup]);

  if (!appError) return { formError: null, lockedSeconds: 0 };
  const waiting =
    appError.domainCode === 'TOO_MANY_ATTEMPTS' && appError.retryAfterSeconds !== null;
  // Once the wait is over the message goes: the member may simply try again.
  const formError =
    waiting && lockedSeconds === 0
      ? null
      : formLevelMessage(
          waiting ? { ...appError, retryAfterSeconds: lockedSeconds } : appError,
          fieldNames,
          lookup,
        );
  return { formError, lockedSeconds };
}

/** Seconds left until `seconds` from the moment it was set; 0 when there is nothing to wait. */
function useCountdown(seconds: number | null): number {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (seconds === null || seconds <= 0) {
      setLeft(0);
      return;
    }
    const deadline = Date.now() + seconds * 1000;
    const tick = () => setLeft(Math.max(0, Math.ceil((deadline - Date.now()) / 1000)));
    tick();
    const timer = window.setInterval(tick, 1000);
    return () => window.clearInterval(timer);
  }, [seconds]);
  return left;
}
