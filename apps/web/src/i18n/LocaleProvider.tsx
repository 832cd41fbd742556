import { createContext, type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import type { MessageKey } from './en.ts';
import {
  isLocale,
  isMessageKey,
  type Locale,
  localeFromLanguageTag,
  type ParamValue,
  type TranslateFn,
  translate,
} from './translate.ts';

const STORAGE_KEY = 'tessera.locale';

export interface LocaleContextValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: TranslateFn;
  /** For keys built at run time (server codes): the translation, or undefined if none exists. */
  lookup: (key: string, params?: Record<string, ParamValue>) => string | undefined;
}

export const LocaleContext = createContext<LocaleContextValue | null>(null);

function readStoredLocale(): Locale | null {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : null;
  } catch {
    return null;
  }
}

function initialLocale(): Locale {
  return readStoredLocale() ?? localeFromLanguageTag(window.navigator.language);
}

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private mode or storage disabled: the choice lasts for this tab only.
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const value = useMemo<LocaleContextValue>(() => {
    const t = ((key: MessageKey, params?: Record<string, ParamValue>) =>
      translate(locale, key, params)) as TranslateFn;
    const lookup = (key: string, params?: Record<string, ParamValue>) =>
      isMessageKey(key) ? translate(locale, key, params) : undefined;
    return { locale, setLocale, t, lookup };
  }, [locale, setLocale]);

  return <LocaleContext value={value}>{children}</LocaleContext>;
}
