import { type Dictionary, en, type MessageKey } from './en.ts';
import { zhCN } from './zh-CN.ts';

/** Pure translation helpers: no React, no DOM, so unit tests run them in node. */

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** Language names are shown in their own language, as every language menu does. */
export const LOCALE_NATIVE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };
export const LOCALE_SHORT_NAMES: Record<Locale, string> = { en: 'EN', 'zh-CN': '中文' };

export const dictionaries: Record<Locale, Dictionary> = { en, 'zh-CN': zhCN };

/** `'Hi {name}, {n} left'` → `'name' | 'n'`. */
type PlaceholdersOf<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | PlaceholdersOf<Rest>
  : never;

export type ParamValue = string | number;
export type ParamsFor<K extends MessageKey> = [PlaceholdersOf<(typeof en)[K]>] extends [never]
  ? []
  : [params: Record<PlaceholdersOf<(typeof en)[K]>, ParamValue>];

/** Keys whose text takes no parameters: safe to keep in tables and pass around. */
export type PlainMessageKey = {
  [K in MessageKey]: ParamsFor<K> extends [] ? K : never;
}[MessageKey];

export type TranslateFn = <K extends MessageKey>(key: K, ...params: ParamsFor<K>) => string;

const PLACEHOLDER = /\{(\w+)\}/g;

export function interpolate(template: string, params?: Record<string, ParamValue>): string {
  if (!params) return template;
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The placeholder names in a template, sorted, e.g. for checking translations agree. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').sort();
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

export function translate(
  locale: Locale,
  key: MessageKey,
  params?: Record<string, ParamValue>,
): string {
  return interpolate(dictionaries[locale][key] ?? en[key], params);
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Maps a BCP 47 tag such as `zh-Hans-CN` or `en-GB` to a supported locale. */
export function localeFromLanguageTag(tag: string | undefined | null): Locale {
  if (!tag) return 'en';
  return tag.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
