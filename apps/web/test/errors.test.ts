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
      details: null,
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

  it('names the case of a refusal that says which (a used link, invite-only sign-up)', () => {
    const used = toAppError(
      serverError({ domainCode: 'VERIFY_LINK_INVALID', details: { reason: 'used' } }),
    );
    expect(describeError(used, lookupEn)).toBe('This verification link was already used.');
    const inviteOnly = toAppError(
      serverError({ domainCode: 'SIGNUP_CLOSED', details: { mode: 'invite' } }),
    );
    expect(describeError(inviteOnly, lookupZh)).toBe('本服务仅限受邀注册。');
    // A case without a message of its own falls back to the code's.
    const odd = toAppError(
      serverError({ domainCode: 'INVITE_INVALID', details: { reason: 'something-new' } }),
    );
    expect(describeError(odd, lookupEn)).toBe('This invite link is not valid.');
    const unverified = toAppError(serverError({ domainCode: 'EMAIL_NOT_VERIFIED' }));
    expect(describeError(unverified, lookupEn)).toContain('Verify your email first');
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

describe('usage refusals', () => {
  const refusal = (domainCode: string, details: unknown, retryAfterSeconds: number | null = null) =>
    toAppError(
      serverError({
        code: 'TOO_MANY_REQUESTS',
        httpStatus: 429,
        domainCode,
        fieldErrors: null,
        retryAfterSeconds,
        details,
      }),
    );

  it('keeps the details of a refusal', () => {
    expect(refusal('QUOTA_EXCEEDED', { window: 'day' }).details).toEqual({ window: 'day' });
    expect(refusal('QUOTA_EXCEEDED', null).details).toBeNull();
  });

  it('says when a quota comes back', () => {
    const resetsAt = new Date('2026-11-23T00:00:00').toISOString();
    const day = refusal('QUOTA_EXCEEDED', { window: 'day', limit: 20, resetsAt });
    expect(describeError(day, lookupEn, 'en')).toMatch(
      /^You have used all of today’s requests\. They come back Nov 23, 12:00\sAM\.$/,
    );
    const month = refusal('QUOTA_EXCEEDED', { window: 'month', limit: 600, resetsAt });
    expect(describeError(month, lookupZh, 'zh-CN')).toBe(
      '本月的请求次数已用完，将于 11月23日 0:00 恢复。',
    );
    // Without a locale (or details) the plain message stays.
    expect(describeError(day, lookupEn)).toBe('You have used up your quota for now.');
  });

  it('says how long to wait when rate limited', () => {
    expect(describeError(refusal('RATE_LIMITED', null, 12), lookupEn, 'en')).toBe(
      'Too many requests. Try again in 12 seconds.',
    );
    expect(describeError(refusal('RATE_LIMITED', null), lookupEn, 'en')).toBe(
      'Too many requests. Slow down a little.',
    );
  });

  it('says how many credits are missing, or that the monthly cap is reached', () => {
    const short = refusal('INSUFFICIENT_CREDITS', { needed: 1500, available: 320 });
    expect(describeError(short, lookupEn, 'en')).toBe(
      'This needs 1,500 credits, but only 320 are available.',
    );
    const capped = refusal('INSUFFICIENT_CREDITS', {
      needed: 15,
      available: 9000,
      monthlyCapReached: true,
    });
    expect(describeError(capped, lookupZh, 'zh-CN')).toBe('你已达到本月的积分上限。');
  });

  it('translates the credit and cap field codes', () => {
    expect(describeFieldError('ABOVE_PLAN', lookupEn)).toBe('This is more than your plan allows.');
    expect(describeFieldError('BELOW_RESERVED', lookupZh)).toBe(
      '余额不能低于正在进行的请求所占用的积分。',
    );
  });
});
