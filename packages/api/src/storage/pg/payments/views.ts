// Money and credit views on PostgreSQL: the same figures as the SQLite queries, shaped by the
// same shared functions. Raw queries run on the pool, whose int8 parser reads bigint as a number;
// sums are cast back to bigint (sum(bigint) is numeric, which node-postgres reads as a string).
// Where SQLite's order relied on binary collation and NULLs first, the ORDER BY says so here.
import { creditLedger, type PgDb, plans, refillRuns, stripeSubscriptions } from '@tessera/db/pg';
import { and, desc, eq, gt, isNull, lt, or } from 'drizzle-orm';
import {
  groupRefillHolders,
  REFILL_GRADE_WINDOW_MS,
} from '../../../domain/credits/preview-refill.ts';
import { refillPolicySchema } from '../../../domain/entitlements/entitlements.ts';
import {
  type RevenueBucketRow,
  type RevenueProductRow,
  shapeRevenue,
} from '../../../domain/payments/get-revenue.ts';
import {
  type ActiveSubscriptionRow,
  groupActiveSubscriptions,
} from '../../../domain/payments/list-active-subscriptions.ts';
import { SHOW_ENDED_MS } from '../../../domain/payments/list-my-subscriptions.ts';
import { revenueWindow } from '../../../domain/payments/revenue-window.ts';
import { validate } from '../../../lib/validate.ts';
import type { CreditBalance, PaymentsStore } from '../../payments-store.ts';

type ViewMethods = Pick<
  PaymentsStore,
  | 'getRevenue'
  | 'listActiveSubscriptions'
  | 'listMySubscriptions'
  | 'listLedger'
  | 'listCreditBalances'
  | 'previewRefill'
  | 'listRefillRuns'
>;

export function createPgViews(db: PgDb): ViewMethods {
  const pool = db.$client;
  return {
    async getRevenue(input) {
      const window = revenueWindow(input.range, input.now, input.timeZone);
      // A vendor's scope: its tenant as parameter $n, and its own plans only.
      const scope = (n: number) =>
        input.tenantId === null
          ? ''
          : `and p.tenant_id = $${n} and p.plan_id in (select id from plans where tenant_id = $${n})`;
      const scoped = input.tenantId === null ? [] : [input.tenantId];
      const buckets = await pool.query<RevenueBucketRow>(
        `with b(i, lo, hi) as (
           select (ord - 1)::int, (v->>0)::bigint, (v->>1)::bigint
           from jsonb_array_elements($1::jsonb) with ordinality as e(v, ord)
         )
         select b.i as bucket, p.currency, p.kind, count(*) as purchases,
                sum(p.amount_minor)::bigint as gross, sum(p.refunded_minor)::bigint as refunded
         from b cross join payments p
         where p.paid_at >= b.lo and p.paid_at < b.hi ${scope(2)}
         group by b.i, p.currency, p.kind`,
        [JSON.stringify(window.buckets), ...scoped],
      );
      const products = await pool.query<RevenueProductRow>(
        `select case when p.pack_id is not null then 'pack' else 'plan' end as product,
                coalesce(p.pack_id, p.plan_id) as product_id, p.currency,
                count(*) as purchases, sum(p.amount_minor)::bigint as gross,
                sum(p.refunded_minor)::bigint as refunded,
                min(pl.key) as plan_key, min(coalesce(pl.name, pk.name)) as name,
                min(p.tenant_id) as tenant_id, min(t.name) as tenant_name
         from payments p
         left join plans pl on pl.id = p.plan_id
         left join credit_packs pk on pk.id = p.pack_id
         left join tenants t on t.id = p.tenant_id
         where p.paid_at >= $1 and p.paid_at < $2 ${scope(3)}
         group by 1, 2, p.currency
         order by sum(p.amount_minor) - sum(p.refunded_minor) desc,
                  min(coalesce(pl.name, pk.name)) collate "C" nulls first`,
        [window.from, window.to, ...scoped],
      );
      return shapeRevenue(input, window, buckets.rows, products.rows);
    },

    async listActiveSubscriptions(input) {
      const own =
        input.tenantId === null ? '' : 'and plan_id in (select id from plans where tenant_id = $1)';
      const rows = await pool.query<ActiveSubscriptionRow>(
        `select pl.id as plan_id, pl.key as plan_key, pl.name as plan_name, pl.tenant_id,
                t.name as tenant_name, pl.price_minor, pl.currency, pl.interval,
                s.status, coalesce(s.n, 0) as n, coalesce(s.canceling, 0) as canceling
         from plans pl
         left join tenants t on t.id = pl.tenant_id
         left join (
           select plan_id, status, count(*) as n,
                  sum(case when cancel_at_period_end then 1 else 0 end)::bigint as canceling
           from stripe_subscriptions
           where ended_at is null and status in ('trialing', 'active', 'past_due') ${own}
           group by plan_id, status
         ) s on s.plan_id = pl.id
         where (pl.interval != 'once' or s.plan_id is not null)
           ${input.tenantId === null ? '' : 'and pl.tenant_id = $1'}
         order by t.kind = 'vendor' nulls first, t.name collate "C" nulls first, pl.sort_order,
                  pl.name collate "C"`,
        input.tenantId === null ? [] : [input.tenantId],
      );
      return groupActiveSubscriptions(rows.rows);
    },

    async listMySubscriptions(input) {
      return db
        .select({
          id: stripeSubscriptions.id,
          planName: plans.name,
          planKey: plans.key,
          status: stripeSubscriptions.status,
          currentPeriodEnd: stripeSubscriptions.currentPeriodEnd,
          accessUntil: stripeSubscriptions.accessUntil,
          cancelAtPeriodEnd: stripeSubscriptions.cancelAtPeriodEnd,
          endedAt: stripeSubscriptions.endedAt,
          notice: stripeSubscriptions.notice,
        })
        .from(stripeSubscriptions)
        .innerJoin(plans, eq(plans.id, stripeSubscriptions.planId))
        .where(
          and(
            eq(stripeSubscriptions.userId, input.userId),
            or(
              isNull(stripeSubscriptions.endedAt),
              gt(stripeSubscriptions.endedAt, new Date(input.now.getTime() - SHOW_ENDED_MS)),
            ),
          ),
        )
        .orderBy(desc(stripeSubscriptions.updatedAt))
        .limit(20);
    },
    async listLedger(input) {
      const limit = input.limit ?? 50;
      const rows = await db
        .select({
          id: creditLedger.id,
          delta: creditLedger.delta,
          balanceAfter: creditLedger.balanceAfter,
          kind: creditLedger.kind,
          pot: creditLedger.pot,
          reference: creditLedger.reference,
          createdAt: creditLedger.createdAt,
        })
        .from(creditLedger)
        .where(
          and(
            eq(creditLedger.userId, input.userId),
            input.beforeId ? lt(creditLedger.id, input.beforeId) : undefined,
          ),
        )
        .orderBy(desc(creditLedger.id))
        .limit(limit + 1);
      const entries = rows.slice(0, limit);
      return { entries, nextBeforeId: rows.length > limit ? (entries.at(-1)?.id ?? null) : null };
    },

    async listCreditBalances(input) {
      const rows = await pool.query<CreditBalance>(
        `select u.email, a.balance, a.reserved, a.purchased
         from credit_accounts a join users u on u.id = a.user_id
         order by u.email collate "C" limit $1`,
        [input.limit],
      );
      return rows.rows;
    },

    async previewRefill(input) {
      const policy = validate(refillPolicySchema, input.policy, 'policy')!;
      const now = input.now.getTime();
      const holders = await pool.query<{ user_id: string; requests: number }>(
        `select m.user_id, coalesce((select sum(requests) from usage_counters u
           where u.user_id = m.user_id and u."window" = 'day' and u.period_start >= $3), 0)::bigint
           as requests
         from memberships m where m.mark_id = $1 and (m.expires_at is null or m.expires_at > $2)`,
        [input.markId, now, now - REFILL_GRADE_WINDOW_MS],
      );
      return groupRefillHolders(input, policy, holders.rows);
    },

    async listRefillRuns(input = {}) {
      return db
        .select()
        .from(refillRuns)
        .orderBy(desc(refillRuns.id))
        .limit(input.limit ?? 50);
    },
  };
}
