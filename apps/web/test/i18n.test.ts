import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en.ts';
import {
  dictionaries,
  interpolate,
  LOCALES,
  localeFromLanguageTag,
  placeholdersOf,
  translate,
} from '../src/i18n/translate.ts';
import { zhCN } from '../src/i18n/zh-CN.ts';

const enKeys = Object.keys(en).sort();

describe('dictionaries', () => {
  it('no message is defined by two feature modules (a later spread would silently win)', () => {
    for (const [locale, modules] of [
      ['en', import.meta.glob<Record<string, object>>('../src/i18n/en.*.ts', { eager: true })],
      [
        'zh-CN',
        import.meta.glob<Record<string, object>>('../src/i18n/zh-CN.*.ts', { eager: true }),
      ],
    ] as const) {
      const owner = new Map<string, string>();
      const clashes: string[] = [];
      for (const [file, exports] of Object.entries(modules)) {
        for (const messages of Object.values(exports)) {
          for (const key of Object.keys(messages)) {
            const first = owner.get(key);
            if (first && first !== file) clashes.push(`${locale}: ${key} in ${first} and ${file}`);
            owner.set(key, file);
          }
        }
      }
      expect(owner.size).toBeGreaterThan(100);
      expect(clashes).toEqual([]);
    }
  });

  it('zh-CN has exactly the keys of en', () => {
    expect(Object.keys(zhCN).sort()).toEqual(enKeys);
  });

  it.each(LOCALES)('%s has no empty or untrimmed strings', (locale) => {
    for (const [key, text] of Object.entries(dictionaries[locale])) {
      expect(text.trim(), `${locale} ${key}`).not.toBe('');
      expect(text, `${locale} ${key}`).toBe(text.trim());
    }
  });

  it('every zh-CN string uses the same placeholders as its en source', () => {
    for (const key of enKeys) {
      const source = en[key as keyof typeof en];
      const target = zhCN[key as keyof typeof zhCN];
      expect(placeholdersOf(target), key).toEqual(placeholdersOf(source));
    }
  });

  it('zh-CN is actually translated, not a copy of en', () => {
    const copied = enKeys.filter((key) => {
      const text = en[key as keyof typeof en];
      return /[a-z]{3,}/i.test(text) && zhCN[key as keyof typeof zhCN] === text;
    });
    // Proper nouns and examples may stay as they are.
    expect(copied.sort()).toEqual([
      'app.name',
      'field.emailPlaceholder',
      'identities.provider.github',
      'identities.provider.oidc',
    ]);
  });
});

describe('translate', () => {
  it('interpolates named parameters and leaves unknown ones visible', () => {
    expect(interpolate('{a} of {b}', { a: 1, b: 'two' })).toBe('1 of two');
    expect(interpolate('Hi {name}', {})).toBe('Hi {name}');
  });

  it('looks up the chosen locale', () => {
    expect(translate('en', 'nav.account')).toBe('Account');
    expect(translate('zh-CN', 'nav.account')).toBe('账户');
    expect(translate('zh-CN', 'admin.count', { count: 3 })).toBe('共 3 位用户');
  });

  it('picks a default locale from the browser language', () => {
    expect(localeFromLanguageTag('zh-CN')).toBe('zh-CN');
    expect(localeFromLanguageTag('zh-Hans-SG')).toBe('zh-CN');
    expect(localeFromLanguageTag('en-GB')).toBe('en');
    expect(localeFromLanguageTag('fr')).toBe('en');
    expect(localeFromLanguageTag(undefined)).toBe('en');
  });
});
