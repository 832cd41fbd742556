// The plan catalog on PostgreSQL, cached per store (one per process) behind
// `app_meta.catalog_epoch` exactly as SQLite's (decision 031): migration 0004's triggers bump the
// epoch in the same transaction as any insert, update or delete of plans, marks or tenants, so an
// edit committed by any instance or tool is seen by the next read. The epoch is read before the
// rows; rows stored under an older epoch than they reflect are only refetched once more, never
// served for a newer one. Statements are named, so each pooled connection prepares them once.
import type { PlanInterval, TenantKind } from '@tessera/db';
import type pg from 'pg';
import { type CachedPlan, cachedPlanOf } from '../../../domain/plans/catalog-statements.ts';
import { type ListCatalogOptions, selectCatalog } from '../../../domain/plans/list-catalog.ts';

interface PlanPgRow {
  id: string;
  key: string;
  name: string;
  description: string;
  price_minor: number;
  currency: string;
  interval: PlanInterval;
  duration_days: number | null;
  trial_days: number;
  seats: number | null;
  stripe_price_id: string | null;
  active: boolean;
  sort_order: number;
  tenant_id: string;
  tenant_kind: TenantKind;
  tenant_name: string;
  mark_id: string;
  mark_key: string;
  mark_name: string;
  mark_description: string;
  entitlements: unknown;
  ceiling: unknown;
  suspended_at: number | null;
}

const EPOCH = {
  name: 'tessera_catalog_epoch',
  text: "select value as epoch from app_meta where key = 'catalog_epoch'",
};

/** The epoch and the tenants whose one trial the viewer took, in one statement (one snapshot). */
const EPOCH_AND_TRIALS = {
  name: 'tessera_catalog_epoch_trials',
  text: `select value as epoch,
                (select coalesce(json_agg(tenant_id), '[]'::json)
                 from trial_redemptions where user_id = $1) as trials
         from app_meta where key = 'catalog_epoch'`,
};

/** Every plan, inactive and suspended ones too, in SQLite's order (`collate "C"`: byte order). */
const PLANS = {
  name: 'tessera_catalog_plans',
  text: `select p.id, p.key, p.name, p.description, p.price_minor, p.currency, p.interval,
                p.duration_days, p.trial_days, p.seats, p.stripe_price_id, p.active, p.sort_order,
                t.id as tenant_id, t.kind as tenant_kind, t.name as tenant_name,
                m.id as mark_id, m.key as mark_key, m.name as mark_name,
                m.description as mark_description, m.entitlements, t.ceiling, t.suspended_at
         from plans p
         join marks m on m.id = p.mark_id
         join tenants t on t.id = p.tenant_id
         order by t.kind collate "C", t.name collate "C", p.sort_order, p.price_minor`,
};

function toCachedPlan(r: PlanPgRow): CachedPlan {
  return cachedPlanOf(
    {
      id: r.id,
      key: r.key,
      name: r.name,
      description: r.description,
      priceMinor: r.price_minor,
      currency: r.currency,
      interval: r.interval,
      durationDays: r.duration_days,
      trialDays: r.trial_days,
      seats: r.seats,
      stripePriceId: r.stripe_price_id,
      active: r.active,
      sortOrder: r.sort_order,
      tenantId: r.tenant_id,
      tenantKind: r.tenant_kind,
      tenantName: r.tenant_name,
      markId: r.mark_id,
      markKey: r.mark_key,
      markName: r.mark_name,
      markDescription: r.mark_description,
      suspendedAt: r.suspended_at === null ? null : new Date(r.suspended_at),
    },
    r.entitlements,
    r.ceiling,
  );
}

/** `listCatalog` over the pool, with this store's cache. */
export function createPgCatalogReader(pool: pg.Pool) {
  let cached: { epoch: string; plans: readonly CachedPlan[] } | undefined;

  async function plansAt(epoch: string): Promise<readonly CachedPlan[]> {
    if (cached && cached.epoch === epoch) return cached.plans;
    const { rows } = await pool.query<PlanPgRow>(PLANS);
    const plans = Object.freeze(rows.map(toCachedPlan));
    cached = { epoch, plans };
    return plans;
  }

  return async function listCatalog(options: ListCatalogOptions = {}) {
    if (!options.viewerId) {
      const { rows } = await pool.query<{ epoch: string }>(EPOCH);
      return selectCatalog(await plansAt(String(rows[0]?.epoch ?? '')), null, options);
    }
    const { rows } = await pool.query<{ epoch: string; trials: string[] }>({
      ...EPOCH_AND_TRIALS,
      values: [options.viewerId],
    });
    const trials = new Set(rows[0]?.trials ?? []);
    return selectCatalog(await plansAt(String(rows[0]?.epoch ?? '')), trials, options);
  };
}
