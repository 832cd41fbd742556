import type { Db } from '@tessera/db';

/** The Stripe statuses that still hold a seat: paying, trying, or in the grace of a failed payment. */
export const activeSubscriptionStatuses = ['trialing', 'active', 'past_due'] as const;
export type ActiveSubscriptionStatus = (typeof activeSubscriptionStatuses)[number];

/** One (plan, status) count, as either engine's query returns it. */
export interface ActiveSubscriptionRow {
  plan_id: string;
  plan_key: string;
  plan_name: string;
  tenant_id: string;
  tenant_name: string | null;
  price_minor: number;
  currency: string;
  interval: 'month' | 'year' | 'once';
  status: ActiveSubscriptionStatus | null;
  n: number;
  canceling: number;
}

/**
 * Active Stripe subscriptions per plan, with the status breakdown: active means not ended and
 * trialing, active or past_due (Stripe still retries a past_due one; the member is in grace).
 * Recurring plans with none are listed too (at zero), so a console shows every plan it sells.
 * `tenantId` null covers every tenant (platform admin); otherwise only that tenant's plans.
 */
export function listActiveSubscriptions(db: Db, input: { tenantId: string | null }) {
  const own =
    input.tenantId === null ? '' : 'and plan_id in (select id from plans where tenant_id = ?)';
  const rows = db.$client
    .prepare<unknown[], ActiveSubscriptionRow>(
      `select pl.id as plan_id, pl.key as plan_key, pl.name as plan_name, pl.tenant_id,
              t.name as tenant_name, pl.price_minor, pl.currency, pl.interval,
              s.status, coalesce(s.n, 0) as n, coalesce(s.canceling, 0) as canceling
       from plans pl
       left join tenants t on t.id = pl.tenant_id
       left join (
         select plan_id, status, count(*) as n, sum(cancel_at_period_end) as canceling
         from stripe_subscriptions
         where ended_at is null and status in ('trialing', 'active', 'past_due') ${own}
         group by plan_id, status
       ) s on s.plan_id = pl.id
       where (pl.interval != 'once' or s.plan_id is not null)
         ${input.tenantId === null ? '' : 'and pl.tenant_id = ?'}
       order by t.kind = 'vendor', t.name, pl.sort_order, pl.name`,
    )
    .all(...(input.tenantId === null ? [] : [input.tenantId, input.tenantId]));

  return groupActiveSubscriptions(rows);
}

export type ActiveSubscriptions = ReturnType<typeof groupActiveSubscriptions>;

/** One line per plan with its status breakdown, from the (plan, status) rows of either engine. */
export function groupActiveSubscriptions(rows: readonly ActiveSubscriptionRow[]) {
  const plans = new Map<
    string,
    {
      planId: string;
      planKey: string;
      planName: string;
      tenantId: string;
      tenantName: string | null;
      priceMinor: number;
      currency: string;
      interval: 'month' | 'year' | 'once';
      active: number;
      byStatus: Record<ActiveSubscriptionStatus, number>;
      cancelAtPeriodEnd: number;
    }
  >();
  for (const r of rows) {
    let plan = plans.get(r.plan_id);
    if (!plan) {
      plan = {
        planId: r.plan_id,
        planKey: r.plan_key,
        planName: r.plan_name,
        tenantId: r.tenant_id,
        tenantName: r.tenant_name,
        priceMinor: r.price_minor,
        currency: r.currency,
        interval: r.interval,
        active: 0,
        byStatus: { trialing: 0, active: 0, past_due: 0 },
        cancelAtPeriodEnd: 0,
      };
      plans.set(r.plan_id, plan);
    }
    if (r.status) {
      plan.byStatus[r.status] += r.n;
      plan.active += r.n;
      plan.cancelAtPeriodEnd += r.canceling;
    }
  }
  return [...plans.values()];
}
