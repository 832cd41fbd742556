import { useContext } from 'react';
import { LocaleContext, type LocaleContextValue } from './LocaleProvider.tsx';

export function useLocale(): LocaleContextValue {
  const value = useContext(LocaleContext);
  if (!value) throw new Error('useLocale() must be used inside <LocaleProvider>');
  return value;
}

/** The translate function for the current locale: `t('nav.chat')`, `t('admin.count', { count })`. */
export function useT() {
  return useLocale().t;
}
