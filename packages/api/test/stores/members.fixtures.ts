// Fixtures of the members contract, in the SQL both engines share (engine.sql).
import { generateSessionToken } from '../../src/auth/session-token.ts';
import type { EngineUnderTest } from './engine.ts';

export const NOW = new Date('2026-03-01T12:00:00Z');
export const DAY = 86_400_000;

/** A refill policy that brings the allowance up to `amount` every day. */
export function dailyReset(amount: number) {
  return {
    amount,
    every: { value: 1, unit: 'day' },
    strategy: 'reset',
    mode: 'on_demand',
    grades: [],
  };
}

export function entitlements(overrides: Record<string, unknown> = {}) {
  return {
    models: ['tessera-mini'],
    plugins: [],
    requestsPerDay: 100,
    requestsPerMonth: 1000,
    requestsPerMinute: 10,
    maxOutputTokens: 1024,
    apiAccess: false,
    seats: 0,
    refill: null,
    fallbackModel: null,
    ...overrides,
  };
}

export async function addUser(
  engine: EngineUnderTest,
  id: string,
  options: { verified?: boolean; disabled?: boolean; balance?: number } = {},
) {
  await engine.sql(
    `insert into users (id, email, password_hash, created_at, email_verified_at, disabled_at)
     values ($1, $2, 'x', $3, $4, $5)`,
    [
      id,
      `${id}@example.test`,
      NOW.getTime(),
      options.verified === false ? null : NOW.getTime(),
      options.disabled ? NOW.getTime() : null,
    ],
  );
  await engine.sql(
    'insert into credit_accounts (user_id, balance, reserved, purchased, updated_at) values ($1, $2, 0, 0, $3)',
    [id, options.balance ?? 0, NOW.getTime()],
  );
}

export async function addVendor(
  engine: EngineUnderTest,
  id: string,
  ceiling: Record<string, unknown>,
  options: { suspended?: boolean } = {},
) {
  await engine.sql(
    `insert into tenants (id, kind, slug, name, created_at, ceiling, suspended_at)
     values ($1, 'vendor', $1, $2, $3, $4, $5)`,
    [
      id,
      `Vendor ${id}`,
      NOW.getTime(),
      JSON.stringify(ceiling),
      options.suspended ? NOW.getTime() : null,
    ],
  );
}

export async function addMark(
  engine: EngineUnderTest,
  id: string,
  granted: Record<string, unknown>,
  tenantId = 'platform',
) {
  await engine.sql(
    `insert into marks (id, tenant_id, slug, key, name, entitlements, created_at, updated_at)
     values ($1, $2, $1, $3, $4, $5, $6, $6)`,
    [
      id,
      tenantId,
      tenantId === 'platform' ? id : `${tenantId}:${id}`,
      `Mark ${id}`,
      JSON.stringify(granted),
      NOW.getTime(),
    ],
  );
}

export async function addPlan(
  engine: EngineUnderTest,
  id: string,
  markId: string,
  trialDays: number,
  tenantId = 'platform',
) {
  await engine.sql(
    `insert into plans (id, tenant_id, mark_id, slug, key, name, price_minor, currency, interval,
                        trial_days, active, sort_order, created_at, updated_at)
     values ($1, $2, $3, $1, $4, $1, 1000, 'usd', 'month', $5, true, 0, $6, $6)`,
    [id, tenantId, markId, `${tenantId}:${id}`, trialDays, NOW.getTime()],
  );
}

/** A session row for `userId`; returns its token. */
export async function addSession(
  engine: EngineUnderTest,
  userId: string,
  options: { lastSeenAt?: Date; expiresAt?: Date } = {},
): Promise<{ id: string; token: string }> {
  const { id, token, secretHash } = generateSessionToken();
  await engine.sql(
    `insert into sessions (id, secret_hash, user_id, created_at, last_seen_at, expires_at)
     values ($1, $2, $3, $4, $5, $6)`,
    [
      id,
      Buffer.from(secretHash),
      userId,
      NOW.getTime(),
      (options.lastSeenAt ?? NOW).getTime(),
      (options.expiresAt ?? new Date(NOW.getTime() + 30 * DAY)).getTime(),
    ],
  );
  return { id, token };
}

export async function countRows(engine: EngineUnderTest, sql: string, params: unknown[] = []) {
  const [row] = await engine.sql<{ n: number | string }>(sql, params);
  return Number(row?.n ?? 0);
}

export async function memberEvents(engine: EngineUnderTest, userId: string) {
  const rows = await engine.sql<{ kind: string; mark_key: string | null }>(
    'select kind, mark_key from member_events where user_id = $1 order by id',
    [userId],
  );
  return rows.map((r) => `${r.kind}${r.mark_key ? `:${r.mark_key}` : ''}`);
}
