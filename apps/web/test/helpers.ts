import { TRPCClientError } from '@trpc/client';
import type { LocaleContextValue } from '../src/i18n/LocaleProvider.tsx';
import {
  isMessageKey,
  type Locale,
  type ParamValue,
  type TranslateFn,
  translate,
} from '../src/i18n/translate.ts';

/** The translate function of one locale, as components get it from useT(). */
export function translatorFor(locale: Locale): TranslateFn {
  return ((key: Parameters<TranslateFn>[0], params?: Record<string, ParamValue>) =>
    translate(locale, key, params)) as TranslateFn;
}

export const tEn = translatorFor('en');
export const tZh = translatorFor('zh-CN');

/** A LocaleContext value for rendering components outside the app. */
export function localeValue(locale: Locale): LocaleContextValue {
  return {
    locale,
    setLocale: () => {},
    t: translatorFor(locale),
    lookup: (key, params) => (isMessageKey(key) ? translate(locale, key, params) : undefined),
  };
}

/** A denial as the client link builds it from the server's errorFormatter output. */
export function denialError(domainCode: string, details: unknown) {
  return TRPCClientError.from({
    error: {
      code: -32003,
      message: 'Denied',
      data: { code: 'FORBIDDEN', httpStatus: 403, domainCode, fieldErrors: null, details },
    },
  });
}

export const PRO_UNLOCK = {
  markKey: 'pro',
  markName: 'Pro',
  plans: [
    {
      id: 'p1',
      name: 'Pro monthly',
      priceMinor: 2000,
      currency: 'usd',
      interval: 'month',
      trialDays: 7,
    },
    {
      id: 'p2',
      name: 'Pro yearly',
      priceMinor: 20_000,
      currency: 'usd',
      interval: 'year',
      trialDays: 0,
    },
  ],
};
