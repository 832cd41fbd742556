import type { Db, PaymentKind } from '@tessera/db';
import { type RevenueRange, type RevenueWindow, revenueWindow } from './revenue-window.ts';

type KindCounts = Record<PaymentKind, number>;
const noPurchases = (): KindCounts => ({ subscription: 0, plan: 0, pack: 0 });

/** One (bucket, currency, kind) sum, as either engine's query returns it. */
export interface RevenueBucketRow {
  bucket: number;
  currency: string;
  kind: PaymentKind;
  purchases: number;
  gross: number;
  refunded: number;
}

/** One (product, currency) sum, as either engine's query returns it. */
export interface RevenueProductRow {
  product: 'plan' | 'pack';
  product_id: string | null;
  currency: string;
  purchases: number;
  gross: number;
  refunded: number;
  plan_key: string | null;
  name: string | null;
  tenant_id: string;
  tenant_name: string | null;
}

export interface RevenueInput {
  range: RevenueRange;
  tenantId: string | null;
  now: Date;
  timeZone: string;
}
export type Revenue = ReturnType<typeof shapeRevenue>;

/**
 * Money received through Stripe over the last `range`, in the platform's time zone: net revenue
 * (amount − refunded) per bucket and per currency — never one number across currencies — with
 * how many purchases of each kind, and a line per product (plan or pack) and currency.
 *
 * `tenantId` null is the platform admin's view of every payment; a tenant id limits it to that
 * tenant's own plans (a vendor's console). A refund counts against the day the payment was made:
 * the row keeps the refunded total, not when it happened (decision 019).
 */
export function getRevenue(db: Db, input: RevenueInput): Revenue {
  const window = revenueWindow(input.range, input.now, input.timeZone);
  // A vendor's payments are found by the (tenant_id, paid_at) index, and only for plans the
  // tenant owns: a row naming the tenant but another's plan (or a pack) is not its money.
  const scope =
    input.tenantId === null
      ? { sql: '', params: [] as string[] }
      : {
          sql: 'and p.tenant_id = ? and p.plan_id in (select id from plans where tenant_id = ?)',
          params: [input.tenantId, input.tenantId],
        };

  // Buckets go in as one JSON array; each is a range lookup on paid_at (CROSS JOIN keeps the
  // buckets outside, so SQLite cannot pick a scan of the tenant's every payment instead), so the
  // work grows with the payments in range, not with the table.
  const bucketRows = db.$client
    .prepare<unknown[], RevenueBucketRow>(
      `with b(i, lo, hi) as (
         select cast(key as integer), json_extract(value, '$[0]'), json_extract(value, '$[1]')
         from json_each(?)
       )
       select b.i as bucket, p.currency, p.kind, count(*) as purchases,
              sum(p.amount_minor) as gross, sum(p.refunded_minor) as refunded
       from b cross join payments p
       where p.paid_at >= b.lo and p.paid_at < b.hi ${scope.sql}
       group by b.i, p.currency, p.kind`,
    )
    .all(JSON.stringify(window.buckets), ...scope.params);

  const products = db.$client
    .prepare<unknown[], RevenueProductRow>(
      `select case when p.pack_id is not null then 'pack' else 'plan' end as product,
              coalesce(p.pack_id, p.plan_id) as product_id, p.currency,
              count(*) as purchases, sum(p.amount_minor) as gross, sum(p.refunded_minor) as refunded,
              pl.key as plan_key, coalesce(pl.name, pk.name) as name,
              p.tenant_id, t.name as tenant_name
       from payments p
       left join plans pl on pl.id = p.plan_id
       left join credit_packs pk on pk.id = p.pack_id
       left join tenants t on t.id = p.tenant_id
       where p.paid_at >= ? and p.paid_at < ? ${scope.sql}
       group by product, product_id, p.currency
       order by sum(p.amount_minor) - sum(p.refunded_minor) desc, name`,
    )
    .all(window.from, window.to, ...scope.params);
  return shapeRevenue(input, window, bucketRows, products);
}

/** The view both engines return, from their query rows (sums per bucket and per product). */
export function shapeRevenue(
  input: RevenueInput,
  window: RevenueWindow,
  bucketRows: readonly RevenueBucketRow[],
  productRows: readonly RevenueProductRow[],
) {
  const currencies = [...new Set(bucketRows.map((r) => r.currency))].sort();
  const buckets = window.buckets.map(([start, end]) => ({
    start: new Date(start),
    end: new Date(end),
    revenue: currencies.map((currency) => ({ currency, netMinor: 0 })),
    purchases: noPurchases(),
  }));
  const totals = currencies.map((currency) => ({
    currency,
    purchases: 0,
    grossMinor: 0,
    refundedMinor: 0,
    netMinor: 0,
  }));
  const purchases = noPurchases();
  for (const row of bucketRows) {
    const bucket = buckets[row.bucket]!;
    const c = currencies.indexOf(row.currency);
    bucket.revenue[c]!.netMinor += row.gross - row.refunded;
    bucket.purchases[row.kind] += row.purchases;
    purchases[row.kind] += row.purchases;
    const total = totals[c]!;
    total.purchases += row.purchases;
    total.grossMinor += row.gross;
    total.refundedMinor += row.refunded;
    total.netMinor += row.gross - row.refunded;
  }

  const products = productRows.map((r) => ({
    product: r.product,
    productId: r.product_id,
    planKey: r.plan_key,
    name: r.name,
    tenantId: r.tenant_id,
    tenantName: r.tenant_name,
    currency: r.currency,
    purchases: r.purchases,
    grossMinor: r.gross,
    refundedMinor: r.refunded,
    netMinor: r.gross - r.refunded,
  }));

  return {
    range: input.range,
    unit: window.unit,
    timeZone: input.timeZone,
    from: new Date(window.from),
    to: new Date(window.to),
    currencies,
    totals,
    purchases,
    buckets,
    products,
  };
}
