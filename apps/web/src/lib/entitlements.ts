import type { Locale, TranslateFn } from '../i18n/translate.ts';
import { formatCount } from './money.ts';
import type { Entitlements } from './trpc.ts';

/** A numeric limit as people read it: null is unlimited, 0 grants nothing. */
export function formatLimit(value: number | null, t: TranslateFn, locale: Locale): string {
  if (value === null) return t('limits.unlimited');
  if (value === 0) return t('limits.none');
  return formatCount(value, locale);
}

export type EntitlementLineKey =
  | 'models'
  | 'plugins'
  | 'daily'
  | 'monthly'
  | 'perMinute'
  | 'maxTokens'
  | 'api'
  | 'seats';

export interface EntitlementLine {
  key: EntitlementLineKey;
  label: string;
  /** The value in words; for lists, a comma-separated fallback of `tags`. */
  value: string;
  /** Identifiers for lists (models, plugins), shown as tags. */
  tags?: string[];
  /** Whether the line grants anything (drives the check/minus icon). */
  granted: boolean;
}

function limitLine(
  key: EntitlementLineKey,
  label: string,
  value: number | null,
  t: TranslateFn,
  locale: Locale,
): EntitlementLine {
  return { key, label, value: formatLimit(value, t, locale), granted: value !== 0 };
}

function listLine(key: EntitlementLineKey, label: string, items: string[], none: string) {
  return {
    key,
    label,
    value: items.length > 0 ? items.join(', ') : none,
    tags: items,
    granted: items.length > 0,
  };
}

/**
 * What a mark (or a merge of marks) grants, line by line, for plan cards and "what you can use
 * now". Seats appear only when there are any; the rest always, so cards line up.
 */
export function summarizeEntitlements(
  e: Entitlements,
  t: TranslateFn,
  locale: Locale,
  options: { detailed?: boolean } = {},
): EntitlementLine[] {
  const lines: EntitlementLine[] = [
    listLine('models', t('ent.models'), e.models, t('ent.noModels')),
    listLine('plugins', t('ent.plugins'), e.plugins, t('ent.noPlugins')),
    limitLine('daily', t('ent.perDay'), e.requestsPerDay, t, locale),
    limitLine('monthly', t('ent.perMonth'), e.requestsPerMonth, t, locale),
  ];
  if (options.detailed) {
    lines.push(limitLine('perMinute', t('ent.perMinute'), e.requestsPerMinute, t, locale));
    lines.push(limitLine('maxTokens', t('ent.maxTokens'), e.maxOutputTokens, t, locale));
  }
  lines.push({
    key: 'api',
    label: t('ent.api'),
    value: e.apiAccess ? t('ent.included') : t('ent.notIncluded'),
    granted: e.apiAccess,
  });
  if (e.seats > 0) {
    lines.push({
      key: 'seats',
      label: t('ent.seats'),
      value: formatCount(e.seats, locale),
      granted: true,
    });
  }
  return lines;
}

/** One short line for tables: "2 models · 2 plugins · 500/day · API". */
export function entitlementHighlights(e: Entitlements, t: TranslateFn, locale: Locale): string {
  const parts = [
    t(e.models.length === 1 ? 'ent.modelCountOne' : 'ent.modelCount', { count: e.models.length }),
    t(e.plugins.length === 1 ? 'ent.pluginCountOne' : 'ent.pluginCount', {
      count: e.plugins.length,
    }),
    t('ent.dailyShort', { limit: formatLimit(e.requestsPerDay, t, locale) }),
  ];
  if (e.apiAccess) parts.push(t('ent.apiShort'));
  if (e.seats > 0) parts.push(t('ent.seatsShort', { count: e.seats }));
  return parts.join(' · ');
}
