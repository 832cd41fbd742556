import type { Locale, TranslateFn } from '../i18n/translate.ts';
import { formatMoney } from './money.ts';

export interface PricedPlan {
  priceMinor: number;
  currency: string;
  interval: string;
}

/** "$20/mo", "$200/yr", "$9 once", "Free". */
export function formatPlanPrice(plan: PricedPlan, t: TranslateFn, locale: Locale): string {
  if (plan.priceMinor === 0) return t('price.free');
  const price = formatMoney(plan.priceMinor, plan.currency, locale);
  if (plan.interval === 'month') return t('price.perMonth', { price });
  if (plan.interval === 'year') return t('price.perYear', { price });
  return t('price.once', { price });
}

/** The interval in words for tables and forms ("Monthly", "Yearly", "One-time"). */
export function intervalLabel(interval: string, t: TranslateFn): string {
  if (interval === 'month') return t('interval.month');
  if (interval === 'year') return t('interval.year');
  if (interval === 'once') return t('interval.once');
  return interval;
}

/** The id of the one platform tenant (fixed by the first migration). */
export const PLATFORM_TENANT_ID = 'platform';

/** Catalog rows grouped by tenant, platform first, in the order the server sent them. */
export function groupByTenant<T extends { tenantId: string; tenantName: string }>(
  rows: readonly T[],
): Array<{ tenantId: string; tenantName: string; rows: T[] }> {
  const groups = new Map<string, { tenantId: string; tenantName: string; rows: T[] }>();
  for (const row of rows) {
    const group = groups.get(row.tenantId) ?? {
      tenantId: row.tenantId,
      tenantName: row.tenantName,
      rows: [],
    };
    group.rows.push(row);
    groups.set(row.tenantId, group);
  }
  return [...groups.values()].sort(
    (a, b) => Number(b.tenantId === PLATFORM_TENANT_ID) - Number(a.tenantId === PLATFORM_TENANT_ID),
  );
}
