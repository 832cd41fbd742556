// The plan catalog's hot reads, prepared once per connection, and the catalog's rows cached per
// process. The SPA's chat and plans pages ask for the catalog on every load, and every "what would
// unlock this" answer (find-unlocks.ts) reads it again. Built through Drizzle per request it cost
// ~230–600 µs (query building, re-preparing, and a zod parse of every mark's entitlements and
// every vendor's ceiling); from this cache it costs one epoch read and a copy per row.
//
// Correctness rests on `app_meta.catalog_epoch` (migration 0027): SQLite triggers bump it in the
// same transaction as any insert, update or delete of plans, marks or tenants, whichever process or
// tool writes. The cache is used only while the epoch still has the value read before the rows
// were, so a change committed by this process, another instance or the CLI is seen by the next
// read. Inside a transaction the cache is neither used nor filled: that transaction may see (or
// make) changes that are rolled back, whose epoch value would later name different rows.
// Viewer-specific facts (the trials a member took) are never cached; they are one indexed read.
import type { Db, PlanInterval, Sqlite, TenantKind } from '@tessera/db';
import { type Entitlements, parseStoredEntitlements } from '../entitlements/entitlements.ts';
import { clampToCeiling, parseStoredCeiling } from '../tenancy/ceiling.ts';

/** One plan as the catalog lists it (the shape `listCatalog` has always returned). */
export interface CatalogRow {
  id: string;
  key: string;
  name: string;
  description: string;
  priceMinor: number;
  currency: string;
  interval: PlanInterval;
  durationDays: number | null;
  trialDays: number;
  seats: number | null;
  stripePriceId: string | null;
  active: boolean;
  sortOrder: number;
  tenantId: string;
  tenantKind: TenantKind;
  tenantName: string;
  markId: string;
  markKey: string;
  markName: string;
  markDescription: string;
  suspendedAt: Date | null;
  entitlements: Entitlements;
}

/** A cached plan: the row, and what a member sees of it before their own trials are counted. */
export interface CachedPlan {
  row: Readonly<CatalogRow>;
  /** Vendor plans clamped to the vendor's ceiling; platform plans as they are. */
  viewerEntitlements: Entitlements;
  /** The plan's trial, capped by the vendor's ceiling. */
  viewerTrialDays: number;
}

interface PlanSqlRow {
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
  active: number;
  sort_order: number;
  tenant_id: string;
  tenant_kind: TenantKind;
  tenant_name: string;
  mark_id: string;
  mark_key: string;
  mark_name: string;
  mark_description: string;
  entitlements: string;
  ceiling: string;
  suspended_at: number | null;
}

function compile(sqlite: Sqlite) {
  return {
    epoch: sqlite
      .prepare<[], string | number>("select value from app_meta where key = 'catalog_epoch'")
      .pluck(),
    /**
     * The epoch and the tenants whose one trial `user` has taken (a JSON array), in one
     * statement: each statement outside a transaction is a read transaction of its own, and this
     * pair is read on every catalog request.
     */
    epochAndTrials: sqlite.prepare<[string], { epoch: string | number; trials: string }>(
      `select value as epoch,
              (select json_group_array(tenant_id) from trial_redemptions where user_id = ?) as trials
       from app_meta where key = 'catalog_epoch'`,
    ),
    /** Every plan, inactive and suspended ones too: each caller's filter runs on the cached rows. */
    plans: sqlite.prepare<[], PlanSqlRow>(
      `select p.id, p.key, p.name, p.description, p.price_minor, p.currency, p.interval,
              p.duration_days, p.trial_days, p.seats, p.stripe_price_id, p.active, p.sort_order,
              t.id as tenant_id, t.kind as tenant_kind, t.name as tenant_name,
              m.id as mark_id, m.key as mark_key, m.name as mark_name,
              m.description as mark_description, m.entitlements, t.ceiling, t.suspended_at
       from plans p
       join marks m on m.id = p.mark_id
       join tenants t on t.id = p.tenant_id
       order by t.kind, t.name, p.sort_order, p.price_minor`,
    ),
  };
}

type CatalogStatements = ReturnType<typeof compile>;

interface ConnectionCatalog {
  statements: CatalogStatements;
  epoch?: string;
  plans?: readonly CachedPlan[];
}

const connections = new WeakMap<Sqlite, ConnectionCatalog>();

function connectionCatalog(sqlite: Sqlite): ConnectionCatalog {
  let catalog = connections.get(sqlite);
  if (!catalog) {
    catalog = { statements: compile(sqlite) };
    connections.set(sqlite, catalog);
  }
  return catalog;
}

/** Shared between requests, so nobody may change it by accident (a write throws). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * A plan row as either engine read it (entitlements and ceiling still as stored), parsed once
 * into what the cache keeps: vendor plans clamped to the ceiling, the trial capped by it. Frozen.
 */
export function cachedPlanOf(
  row: Omit<CatalogRow, 'entitlements'>,
  storedEntitlements: unknown,
  storedCeiling: unknown,
): CachedPlan {
  const entitlements = parseStoredEntitlements(storedEntitlements);
  const ceiling = row.tenantKind === 'vendor' ? parseStoredCeiling(storedCeiling) : null;
  return deepFreeze({
    row: { ...row, entitlements },
    viewerEntitlements: ceiling ? clampToCeiling(entitlements, ceiling) : entitlements,
    viewerTrialDays: Math.min(row.trialDays, ceiling?.trialDays ?? row.trialDays),
  });
}

function toCachedPlan(r: PlanSqlRow): CachedPlan {
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
      active: r.active === 1,
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
    JSON.parse(r.entitlements),
    JSON.parse(r.ceiling),
  );
}

/**
 * The cached plans if they were read at `epoch`, else the plans read now and cached under it.
 * `epoch` must be read before this call: a change committed in between carries a newer epoch, so
 * rows read after it are never stored under the older value. Never called inside a transaction.
 */
function plansAt(catalog: ConnectionCatalog, epoch: string): readonly CachedPlan[] {
  if (catalog.plans && catalog.epoch === epoch) return catalog.plans;
  const plans = Object.freeze(catalog.statements.plans.all().map(toCachedPlan));
  catalog.epoch = epoch;
  catalog.plans = plans;
  return plans;
}

/** Every plan with its mark and tenant, from the cache while the catalog epoch holds. */
export function cachedCatalog(db: Db): readonly CachedPlan[] {
  const sqlite = db.$client;
  const catalog = connectionCatalog(sqlite);
  if (sqlite.inTransaction) return catalog.statements.plans.all().map(toCachedPlan);
  return plansAt(catalog, String(catalog.statements.epoch.get() ?? ''));
}

/**
 * The catalog as `cachedCatalog` gives it, and the tenants in which `userId` has taken their one
 * trial (never cached: it changes per member), read together.
 */
export function catalogForViewer(
  db: Db,
  userId: string,
): { plans: readonly CachedPlan[]; trialTenants: Set<string> } {
  const sqlite = db.$client;
  const catalog = connectionCatalog(sqlite);
  const row = catalog.statements.epochAndTrials.get(userId);
  const trialTenants = new Set<string>(row ? (JSON.parse(row.trials) as string[]) : []);
  const plans = sqlite.inTransaction
    ? catalog.statements.plans.all().map(toCachedPlan)
    : plansAt(catalog, String(row?.epoch ?? ''));
  return { plans, trialTenants };
}
