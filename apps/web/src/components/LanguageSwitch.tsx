import { GlobalOutlined } from '@ant-design/icons';
import { Segmented } from 'antd';
import type { Locale } from '../i18n/translate.ts';
import { LOCALE_NATIVE_NAMES, LOCALE_SHORT_NAMES, LOCALES } from '../i18n/translate.ts';
import { useLocale } from '../i18n/useT.ts';
import { useMeQuery } from '../lib/session.ts';
import { trpc } from '../lib/trpc.ts';

/**
 * Two-way language switch. Test hooks: `[data-testid=lang-switch]` wraps it and each option is
 * `[data-testid=lang-option-<locale>]` (`lang-option-en`, `lang-option-zh-CN`).
 */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useLocale();
  const me = useMeQuery();
  // Signed in, the choice is remembered on the account too: mails are written in it.
  const remember = trpc.auth.setLocale.useMutation();
  const choose = (next: Locale) => {
    setLocale(next);
    if (me.data) remember.mutate({ locale: next });
  };
  const options = LOCALES.map((code) => ({
    value: code,
    label: (
      <span data-testid={`lang-option-${code}`} lang={code} title={LOCALE_NATIVE_NAMES[code]}>
        {LOCALE_SHORT_NAMES[code]}
      </span>
    ),
  }));
  return (
    <span className="lang-switch" data-testid="lang-switch" data-locale={locale}>
      <GlobalOutlined className="lang-switch__icon" aria-hidden />
      <Segmented
        size="small"
        value={locale}
        options={options}
        onChange={choose}
        aria-label={t('app.language')}
      />
    </span>
  );
}
