// Columns and constraints of the PostgreSQL schema on a real server (TEST_DATABASE_URL; `pnpm
// services` starts one): every kind of column round-trips with the types the SQLite rows have, and
// the money invariants, keys and triggers hold as they do on SQLite. Run with `pnpm test:scale`.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appMeta,
  auditEvents,
  authThrottles,
  creditAccounts,
  creditLedger,
  creditReservations,
  marks,
  memberEvents,
  memberships,
  sessions,
  tenants,
  usageCounters,
  users,
} from '../src/pg/index.ts';
import { createTestPgDatabase, type TestPgDatabase } from '../src/testing-pg.ts';

/** The SQLSTATE of a failed query (drizzle wraps the driver's error in `cause`). */
async function sqlState(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string } };
    return e.cause?.code ?? e.code;
  }
  return undefined;
}

const now = new Date('2026-01-02T03:04:05.678Z');

describe('the PostgreSQL schema', () => {
  let a: TestPgDatabase;

  beforeAll(async () => {
    a = await createTestPgDatabase('pg_schema_columns');
  });
  afterAll(async () => {
    await a?.drop();
  });

  const user = (id: string) => ({
    id,
    email: `${id}@example.com`,
    passwordHash: 'x',
    createdAt: now,
  });

  it('round-trips the credit tables with their types', async () => {
    const { db } = a;
    await db.insert(users).values(user('u2'));
    await db
      .insert(creditAccounts)
      .values({ userId: 'u2', balance: 5_000_000_000, updatedAt: now });
    await db.insert(creditLedger).values({
      id: 1,
      userId: 'u2',
      delta: 5_000_000_000,
      balanceAfter: 5_000_000_000,
      kind: 'refill',
      idempotencyKey: 'refill:u2:free:1',
      createdAt: now,
    });
    await db.insert(creditReservations).values({
      id: 'req-1',
      userId: 'u2',
      amount: 700,
      status: 'open',
      createdAt: now,
    });
    await db.insert(usageCounters).values({
      userId: 'u2',
      window: 'day',
      periodStart: now.getTime(),
      requests: 1,
    });

    const [account] = await db.select().from(creditAccounts).where(eq(creditAccounts.userId, 'u2'));
    expect(account).toEqual({
      userId: 'u2',
      balance: 5_000_000_000, // beyond 2^31: bigint, read back as a number
      reserved: 0,
      purchased: 0,
      dailyRequestCap: null,
      monthlyCreditCap: null,
      updatedAt: now,
    });
    const [entry] = await db.select().from(creditLedger);
    expect(entry).toMatchObject({ id: 1, pot: 'allowance', createdAt: now });
    const [reservation] = await db.select().from(creditReservations);
    expect(reservation).toMatchObject({ amount: 700, charged: null, settledAt: null });
    const [counter] = await db.select().from(usageCounters);
    expect(counter).toMatchObject({ periodStart: now.getTime(), requests: 1, credits: 0 });

    // Raw queries on the pool read int8 as numbers too.
    const raw = await a.pool.query(
      "select balance, updated_at from credit_accounts where user_id = 'u2'",
    );
    expect(raw.rows).toEqual([{ balance: 5_000_000_000, updated_at: now.getTime() }]);
  });

  it('enforces the credit constraints', async () => {
    const { db } = a;
    await db.insert(users).values(user('u3'));
    const account = { userId: 'u3', updatedAt: now };
    // 0 ≤ purchased ≤ balance
    expect(
      await sqlState(db.insert(creditAccounts).values({ ...account, balance: 10, purchased: 11 })),
    ).toBe('23514');
    // reserved ≤ balance
    expect(
      await sqlState(db.insert(creditAccounts).values({ ...account, balance: 10, reserved: 11 })),
    ).toBe('23514');
    await db.insert(creditAccounts).values({ ...account, balance: 10, purchased: 10 });
    // A guarded spend that would break the invariant fails as a whole.
    expect(
      await sqlState(
        db
          .update(creditAccounts)
          .set({ balance: sql`${creditAccounts.balance} - 5` })
          .where(eq(creditAccounts.userId, 'u3')),
      ),
    ).toBe('23514');

    const entry = {
      userId: 'u3',
      delta: 10,
      balanceAfter: 10,
      kind: 'purchase' as const,
      createdAt: now,
    };
    await db.insert(creditLedger).values({ ...entry, id: 1, idempotencyKey: 'pack:u3:1' });
    // The idempotency key is unique: a retried grant cannot land twice.
    expect(
      await sqlState(
        db.insert(creditLedger).values({ ...entry, id: 2, idempotencyKey: 'pack:u3:1' }),
      ),
    ).toBe('23505');
    // (user_id, id) is the primary key.
    expect(
      await sqlState(db.insert(creditLedger).values({ ...entry, id: 1, idempotencyKey: 'other' })),
    ).toBe('23505');
    // A reservation charges at most its amount.
    expect(
      await sqlState(
        db.insert(creditReservations).values({
          id: 'req-x',
          userId: 'u3',
          amount: 5,
          charged: 6,
          status: 'settled',
          createdAt: now,
        }),
      ),
    ).toBe('23514');
    // One counter row per (user, window, period).
    const counter = { userId: 'u3', window: 'day' as const, periodStart: 1 };
    await db.insert(usageCounters).values(counter);
    expect(await sqlState(db.insert(usageCounters).values(counter))).toBe('23505');
    // A counter never goes negative.
    expect(
      await sqlState(db.insert(usageCounters).values({ ...counter, periodStart: 2, requests: -1 })),
    ).toBe('23514');
    // Rows belong to a user that exists.
    expect(
      await sqlState(db.insert(creditAccounts).values({ userId: 'nobody', updatedAt: now })),
    ).toBe('23503');
  });

  it('bumps the auth epoch in the same transaction as an access change', async () => {
    const { db } = a;
    const epoch = async () =>
      (await db.select().from(appMeta).where(eq(appMeta.key, 'auth_epoch')))[0]?.value;
    const before = Number(await epoch());
    await db.insert(users).values(user('u4'));
    expect(Number(await epoch())).toBe(before); // a new account takes nothing away
    await db.insert(memberships).values({
      id: 'm1',
      userId: 'u4',
      markId: 'free',
      startsAt: now,
      status: 'active',
      source: 'signup',
      createdAt: now,
      updatedAt: now,
    });
    expect(Number(await epoch())).toBe(before + 1);
    await db.update(users).set({ disabledAt: now }).where(eq(users.id, 'u4'));
    expect(Number(await epoch())).toBe(before + 2);
    await db
      .update(tenants)
      .set({ ceiling: { models: [] } })
      .where(eq(tenants.id, 'platform'));
    expect(Number(await epoch())).toBe(before + 3);
  });

  it('round-trips every kind of column', async () => {
    const { db } = a;
    await db.insert(users).values(user('u5'));
    const secretHash = Buffer.from([0, 1, 2, 254, 255]);
    await db.insert(sessions).values({
      id: 's1',
      secretHash,
      userId: 'u5',
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now,
    });
    const [session] = await db.select().from(sessions).where(eq(sessions.id, 's1'));
    expect(session?.secretHash.equals(secretHash)).toBe(true);
    await db.insert(authThrottles).values({ key: 'ip:1', tokens: 2.75, updatedAt: now });
    expect((await db.select().from(authThrottles))[0]?.tokens).toBe(2.75);
    // SQLite's INTEGER PRIMARY KEY numbers rows itself; the identity column does the same.
    const event = { action: 'a', subjectType: 'user', subjectId: 'u5', createdAt: now };
    const ids = await db
      .insert(auditEvents)
      .values([event, { ...event, data: { nested: { ok: true } } }])
      .returning({ id: auditEvents.id, data: auditEvents.data });
    expect(ids[1]?.id).toBe((ids[0]?.id ?? 0) + 1);
    expect(ids[1]?.data).toEqual({ nested: { ok: true } });
    const [memberEvent] = await db
      .insert(memberEvents)
      .values({ userId: 'u5', kind: 'k', createdAt: now })
      .returning();
    expect(memberEvent?.id).toBeTypeOf('number');
  });

  it('keeps the slug rule of SQLite', async () => {
    const mark = {
      tenantId: 'platform',
      name: 'X',
      entitlements: {},
      createdAt: now,
      updatedAt: now,
    };
    await a.db.insert(marks).values({ ...mark, id: 'ok', slug: 'pro-2', key: 'pro-2' });
    for (const slug of ['Pro', 'a:b', 'a b', '']) {
      expect(
        await sqlState(a.db.insert(marks).values({ ...mark, id: slug, slug, key: `k${slug}` })),
      ).toBe('23514');
    }
  });
});
