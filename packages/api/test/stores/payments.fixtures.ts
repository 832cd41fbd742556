// Fixtures of the payments contract, in the SQL both engines share (engine.ts): users with credit
// accounts, a vendor with a mark and plans, payments, subscriptions, Stripe events.
import type { EngineUnderTest } from './engine.ts';

export const NOW = new Date('2026-03-10T12:00:00Z');
export const DAY = 86_400_000;

export async function addUser(
  engine: EngineUnderTest,
  id: string,
  account: { balance?: number; purchased?: number; email?: string; verified?: boolean } = {},
) {
  await engine.sql(
    `insert into users (id, email, password_hash, created_at, email_verified_at)
     values ($1, $2, 'x', $3, $4)`,
    [id, account.email ?? `${id}@example.test`, NOW, account.verified === false ? null : NOW],
  );
  await engine.sql(
    `insert into credit_accounts (user_id, balance, reserved, purchased, updated_at)
     values ($1, $2, 0, $3, $4)`,
    [id, account.balance ?? 0, account.purchased ?? 0, NOW],
  );
}

/** A tenant (vendor unless `platform`), optionally suspended. */
export async function addVendor(
  engine: EngineUnderTest,
  id: string,
  options: { name?: string; suspended?: boolean } = {},
) {
  await engine.sql(
    `insert into tenants (id, kind, slug, name, created_at, ceiling, suspended_at)
     values ($1, 'vendor', $1, $2, $3, '{}', $4)`,
    [id, options.name ?? id, NOW, options.suspended ? NOW : null],
  );
}

/** A mark of `tenantId` (plain entitlements, refill by `refill` when given). */
export async function addMark(
  engine: EngineUnderTest,
  id: string,
  tenantId = 'platform',
  refill: unknown = null,
) {
  const entitlements = { models: [], requestsPerDay: 10, refill };
  await engine.sql(
    `insert into marks (id, tenant_id, slug, key, name, entitlements, created_at, updated_at)
     values ($1, $2, $1, $1, $1, $3, $4, $4)`,
    [id, tenantId, JSON.stringify(entitlements), NOW],
  );
}

export async function addPlan(
  engine: EngineUnderTest,
  id: string,
  plan: {
    tenantId?: string;
    markId: string;
    interval?: 'month' | 'year' | 'once';
    durationDays?: number | null;
    priceMinor?: number;
    currency?: string;
    stripePriceId?: string | null;
    name?: string;
    sortOrder?: number;
  },
) {
  await engine.sql(
    `insert into plans (id, tenant_id, mark_id, slug, key, name, price_minor, currency, interval,
       duration_days, stripe_price_id, sort_order, created_at, updated_at)
     values ($1, $2, $3, $1, $1, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
    [
      id,
      plan.tenantId ?? 'platform',
      plan.markId,
      plan.name ?? id,
      plan.priceMinor ?? 1000,
      plan.currency ?? 'usd',
      plan.interval ?? 'month',
      plan.durationDays ?? null,
      plan.stripePriceId ?? null,
      plan.sortOrder ?? 0,
      NOW,
    ],
  );
}

export async function addPayment(
  engine: EngineUnderTest,
  id: string,
  p: {
    userId: string;
    kind: 'subscription' | 'plan' | 'pack';
    tenantId?: string;
    planId?: string | null;
    packId?: string | null;
    amountMinor: number;
    refundedMinor?: number;
    currency?: string;
    paidAt: Date;
  },
) {
  await engine.sql(
    `insert into payments (id, user_id, kind, tenant_id, plan_id, pack_id, amount_minor, currency,
       refunded_minor, paid_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      id,
      p.userId,
      p.kind,
      p.tenantId ?? 'platform',
      p.planId ?? null,
      p.packId ?? null,
      p.amountMinor,
      p.currency ?? 'usd',
      p.refundedMinor ?? 0,
      p.paidAt,
    ],
  );
}

export async function addSubscription(
  engine: EngineUnderTest,
  id: string,
  s: {
    userId: string;
    planId: string;
    markId: string;
    tenantId?: string;
    status: string;
    cancelAtPeriodEnd?: boolean;
    endedAt?: Date | null;
    notice?: string | null;
    updatedAt?: Date;
  },
) {
  await engine.sql(
    `insert into stripe_subscriptions (id, user_id, plan_id, mark_id, tenant_id, status,
       current_period_start, current_period_end, cancel_at_period_end, access_until, ended_at,
       state_at, created_at, updated_at, notice)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $10, $7, $7, $11, $12)`,
    [
      id,
      s.userId,
      s.planId,
      s.markId,
      s.tenantId ?? 'platform',
      s.status,
      NOW,
      new Date(NOW.getTime() + 30 * DAY),
      s.cancelAtPeriodEnd ?? false,
      s.endedAt ?? null,
      s.updatedAt ?? NOW,
      s.notice ?? null,
    ],
  );
}

export async function addStripeEvent(
  engine: EngineUnderTest,
  id: string,
  receivedAt: Date,
  outcome: 'ignored' | 'applied' | 'failed' = 'applied',
) {
  await engine.sql(
    `insert into stripe_events (id, type, created, received_at, outcome)
     values ($1, 'invoice.paid', $2, $2, $3)`,
    [id, receivedAt, outcome],
  );
}

export async function auditActions(engine: EngineUnderTest, subjectId?: string) {
  const rows = await engine.sql<{ action: string; data: unknown }>(
    `select action, data from audit_events ${subjectId ? 'where subject_id = $1' : ''} order by id`,
    subjectId ? [subjectId] : [],
  );
  return rows.map((r) => ({
    action: r.action,
    data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data,
  }));
}

export async function count(engine: EngineUnderTest, table: string): Promise<number> {
  const [row] = await engine.sql<{ n: number | string }>(`select count(*) as n from ${table}`);
  return Number(row?.n ?? 0);
}
