import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import {
  type FieldMap,
  resolveServerField,
  splitServerErrors,
} from '../src/components/forms/useServerErrors.ts';
import { isMessageKey, translate } from '../src/i18n/translate.ts';
import type { Lookup } from '../src/lib/errorMessages.ts';
import { toAppError } from '../src/lib/errors.ts';

const lookup: Lookup = (key, params) =>
  isMessageKey(key) ? translate('en', key, params) : undefined;

const FIELDS: FieldMap = {
  slug: 'slug',
  'entitlements.models': ['entitlements', 'models'],
  'fields.priceMinor': 'price',
};

function validation(fieldErrors: Record<string, string[]>) {
  return toAppError(
    TRPCClientError.from({
      error: {
        code: -32600,
        message: 'Invalid input',
        data: { code: 'BAD_REQUEST', httpStatus: 400, domainCode: 'VALIDATION', fieldErrors },
      },
    }),
  );
}

describe('server field errors on forms', () => {
  it('finds the form field for a server key, ignoring list indexes', () => {
    expect(resolveServerField('slug', FIELDS)).toBe('slug');
    expect(resolveServerField('entitlements.models.3', FIELDS)).toEqual(['entitlements', 'models']);
    expect(resolveServerField('fields.priceMinor', FIELDS)).toBe('price');
    expect(resolveServerField('fields', FIELDS)).toBeNull();
  });

  it('translates codes onto fields and keeps the rest for above the form', () => {
    const { onFields, stray } = splitServerErrors(
      validation({
        slug: ['SLUG_TAKEN'],
        fields: ['CURRENCY_INVALID'],
        'entitlements.models.0': ['INVALID_IDENTIFIER'],
      }),
      FIELDS,
      lookup,
    );
    expect(onFields).toEqual([
      { name: 'slug', errors: ['This slug is already taken.'] },
      {
        name: ['entitlements', 'models'],
        errors: ['Model and plugin names use lowercase letters, digits and . _ : / - only.'],
      },
    ]);
    expect(stray).toEqual(['Use a three-letter currency code, e.g. USD.']);
  });

  it('translates the field codes the admin and vendor forms can receive', () => {
    for (const code of [
      'SLUG_TAKEN',
      'SLUG_INVALID',
      'USER_NOT_FOUND',
      'REQUIRED',
      'TOO_LONG',
      'INVALID',
    ]) {
      expect(lookup(`fieldErrors.${code}`), code).toBeTruthy();
    }
  });
});
