import type { FormInstance, FormItemProps } from 'antd';
import { useEffect, useMemo } from 'react';
import { useLocale } from '../../i18n/useT.ts';
import { describeError, describeFieldError } from '../../lib/errorMessages.ts';
import { type AppError, toAppError } from '../../lib/errors.ts';

export type NamePath = NonNullable<FormItemProps['name']>;
export type FieldMap = Readonly<Record<string, NamePath>>;

/**
 * The form field for a server field key: exact (`slug`, `fields.priceMinor`), else without list
 * indexes (`entitlements.models.0` → `entitlements.models`). Null when the form has no such field.
 */
export function resolveServerField(key: string, fields: FieldMap): NamePath | null {
  if (fields[key] !== undefined) return fields[key];
  const withoutIndexes = key.replace(/(\.\d+)+$/, '');
  return fields[withoutIndexes] ?? null;
}

/** Field errors split into those the form shows (per field) and the rest (form-level text). */
export function splitServerErrors(error: AppError, fields: FieldMap, lookup: Lookup) {
  const onFields: Array<{ name: NamePath; errors: string[] }> = [];
  const stray: string[] = [];
  for (const [key, codes] of Object.entries(error.fieldErrors)) {
    const messages = codes.map((code) => describeFieldError(code, lookup));
    const name = resolveServerField(key, fields);
    if (name === null) stray.push(...messages);
    else onFields.push({ name, errors: messages });
  }
  return { onFields, stray };
}

type Lookup = Parameters<typeof describeFieldError>[1];

/**
 * Puts a mutation's server error where it belongs: codes for fields the form shows go under those
 * inputs (translated; `fields` maps the server's field key to the form's name path), the rest is
 * returned as one form-level message (null when there is nothing to say above the fields).
 * Pass a module-level `fields` constant.
 */
export function useServerErrors(form: FormInstance, error: unknown, fields: FieldMap) {
  const { locale, lookup } = useLocale();
  const appError = useMemo(() => (error ? toAppError(error) : null), [error]);
  const split = useMemo(
    () => (appError ? splitServerErrors(appError, fields, lookup) : null),
    [appError, fields, lookup],
  );
  useEffect(() => {
    if (split && split.onFields.length > 0) form.setFields(split.onFields);
  }, [split, form]);
  if (!appError || !split) return null;
  if (Object.keys(appError.fieldErrors).length === 0)
    return describeError(appError, lookup, locale);
  return split.stray.length > 0 ? [...new Set(split.stray)].join(' ') : null;
}
