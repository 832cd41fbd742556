import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { isMessageKey, translate } from '../src/i18n/translate.ts';
import {
  describeError,
  describeFieldError,
  formLevelMessage,
  type Lookup,
} from '../src/lib/errorMessages.ts';
import { isUnauthenticated, toAppError } from '../src/lib/errors.ts';

/** An error as the client link builds it from the server's errorFormatter output. */
function serverError(data: Record<string, unknown>, message = 'Denied') {
  return TRPCClientError.from({ error: { code: -32600, message, data } });
}

const lookupEn: Lookup = (key, params) =>
  isMessageKey(key) ? translate('en', key, params) : undefined;
const lookupZh: Lookup = (key, params) =>
  isMessageKey(key) ? translate('zh-CN', key, params) : undefined;

describe('toAppError', () => {
  it('reads the domain code, field errors and retry hint from error.data', () => {
    const error = serverError({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      domainCode: 'VALIDATION',
      fieldErrors: { email: ['EMAIL_INVALID'], password: ['PASSWORD_TOO_SHORT'] },
      retryAfterSeconds: null,
    });
    expect(toAppError(error)).toEqual({
      domainCode: 'VALIDATION',
      fieldErrors: { email: ['EMAIL_INVALID'], password: ['PASSWORD_TOO_SHORT'] },
      retryAfterSeconds: null,
      httpStatus: 400,
      trpcCode: 'BAD_REQUEST',
      isNetworkError: false,
    });
  });

  it('rounds the retry hint up and ignores malformed fields', () => {
    const error = serverError({
      code: 'TOO_MANY_REQUESTS',
      httpStatus: 429,
      domainCode: 'TOO_MANY_ATTEMPTS',
      fieldErrors: { email: 'EMAIL_INVALID', password: [42, ''], other: null },
      retryAfterSeconds: 29.2,
    });
    const appError = toAppError(error);
    expect(appError.retryAfterSeconds).toBe(30);
    expect(appError.fieldErrors).toEqual({ email: ['EMAIL_INVALID'] });
  });

  it('treats an error without data (fetch failed) as a network error', () => {
    const error = TRPCClientError.from(new TypeError('Failed to fetch'));
    expect(toAppError(error)).toMatchObject({ domainCode: null, isNetworkError: true });
    expect(toAppError(undefined).isNetworkError).toBe(true);
  });

  it('recognises a lost session by domain code, tRPC code or status', () => {
    expect(isUnauthenticated(serverError({ domainCode: 'UNAUTHENTICATED' }))).toBe(true);
    expect(isUnauthenticated(serverError({ code: 'UNAUTHORIZED', httpStatus: 401 }))).toBe(true);
    expect(isUnauthenticated(serverError({ domainCode: 'FORBIDDEN', httpStatus: 403 }))).toBe(
      false,
    );
    // A wrong password is a 401 too, but it says nothing about the current session.
    const wrongPassword = serverError({
      code: 'UNAUTHORIZED',
      httpStatus: 401,
      domainCode: 'INVALID_CREDENTIALS',
    });
    expect(isUnauthenticated(wrongPassword)).toBe(false);
  });
});

describe('error messages', () => {
  it('translates field codes and shows unknown codes as they are', () => {
    expect(describeFieldError('EMAIL_TAKEN', lookupEn)).toBe(
      'An account with this email already exists.',
    );
    expect(describeFieldError('EMAIL_TAKEN', lookupZh)).toBe('该邮箱已注册。');
    expect(describeFieldError('SOMETHING_NEW', lookupEn)).toBe('Invalid value (SOMETHING_NEW).');
  });

  it('shows INVALID_CREDENTIALS as a form-level message', () => {
    const error = toAppError(
      serverError({ code: 'UNAUTHORIZED', httpStatus: 401, domainCode: 'INVALID_CREDENTIALS' }),
    );
    expect(describeError(error, lookupEn)).toBe('The email or password is incorrect.');
  });

  it('says how long to wait after TOO_MANY_ATTEMPTS', () => {
    const error = toAppError(
      serverError({ httpStatus: 429, domainCode: 'TOO_MANY_ATTEMPTS', retryAfterSeconds: 60 }),
    );
    expect(describeError(error, lookupEn)).toBe('Too many attempts. Try again in 60 seconds.');
    expect(describeError(error, lookupZh)).toBe('尝试次数过多，请在 60 秒后重试。');
  });

  it('leaves field errors to the fields the form shows', () => {
    const error = toAppError(
      serverError({
        domainCode: 'WEAK_PASSWORD',
        fieldErrors: { password: ['PASSWORD_TOO_COMMON'] },
      }),
    );
    expect(formLevelMessage(error, ['email', 'password'], lookupEn)).toBeNull();
  });

  it('lists field errors for fields the form does not show', () => {
    const error = toAppError(
      serverError({ domainCode: 'VALIDATION', fieldErrors: { _form: ['REQUIRED'] } }),
    );
    expect(formLevelMessage(error, ['email', 'password'], lookupEn)).toBe(
      'This field is required.',
    );
  });

  it('describes errors without field errors above the form', () => {
    const error = toAppError(serverError({ httpStatus: 409, domainCode: 'EMAIL_TAKEN' }));
    expect(formLevelMessage(error, ['email'], lookupZh)).toBe('该邮箱已注册。');
  });

  it('falls back to the code for domain codes it does not know', () => {
    const error = toAppError(serverError({ httpStatus: 418, domainCode: 'TEAPOT' }));
    expect(describeError(error, lookupEn)).toBe('Something went wrong (TEAPOT).');
  });

  it('explains network failures', () => {
    expect(describeError(toAppError(new Error('offline')), lookupEn)).toBe(
      'Could not reach the server. Check your connection.',
    );
  });
});
