// The ops store's contract on PostgreSQL, then what only PostgreSQL can show: transactions that
// commit out of id order (the bus's commit-ordered cursor, decision 035) and instances racing for
// the same mail, lease or notification on separate connections.
import { createPgDb, type PgDbHandle } from '@tessera/db/pg';
import { createTestPgDatabase, type TestPgDatabase } from '@tessera/db/testing-pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MemberEventNotice } from '../../src/events/member-event-bus.ts';
import {
  appendBroadcastEventPg,
  appendMemberEventPg,
  enqueueMailPg,
  noticePaymentFailedPg,
  notifyPg,
  recordAuditPg,
} from '../../src/storage/pg/ops/in-transaction.ts';
import { createPgMemberEventBus } from '../../src/storage/pg/ops/member-event-bus.ts';
import { createPgOpsStore } from '../../src/storage/pg/ops-store.ts';
import { openPgEngine } from './engine-pg.ts';
import { opsContract } from './ops.contract.ts';

opsContract(() => openPgEngine('ops'));

const T0 = Date.parse('2026-03-01T10:00:00Z');

describe('PostgreSQL: commit order and racing instances', () => {
  let database: TestPgDatabase;
  const handles: PgDbHandle[] = [];
  beforeEach(async () => {
    database = await createTestPgDatabase('ops_races');
  });
  afterEach(async () => {
    for (const handle of handles.splice(0)) await handle.close();
    await database.drop();
  });
  /** Another instance: its own pool on the same database. */
  const instance = (max = 4) => {
    const handle = createPgDb(database.url, { max });
    handles.push(handle);
    return createPgOpsStore(handle.db);
  };
  const addEvent = async (run: { query: typeof database.pool.query }, kind: string) => {
    const { rows } = await run.query<{ id: number }>(
      "insert into member_events (user_id, kind, created_at) values ('u1', $1, $2) returning id",
      [kind, T0],
    );
    return Number(rows[0]!.id);
  };

  it('delivers and announces an event whose lower id commits after a higher one', async () => {
    const published: MemberEventNotice[] = [];
    const bus = createPgMemberEventBus(database.pool, {
      intervalMs: 60 * 60_000,
      transport: { publish: (notice) => published.push(notice), start() {}, close() {} },
    });
    try {
      const got: number[] = [];
      bus.subscribe('u1', (event) => got.push(event.id));
      await new Promise((resolve) => setTimeout(resolve, 50)); // the first read is done

      const late = await database.pool.connect();
      try {
        await late.query('begin');
        const lowId = await addEvent(late, 'membership.revoked'); // id taken, not yet visible
        const highId = await addEvent(database.pool, 'credits.changed'); // commits at once
        expect(lowId).toBeLessThan(highId);
        bus.poke();
        await bus.catchUp();
        expect(got).toEqual([highId]);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(published.map((n) => n.eventId)).toEqual([highId]);

        await late.query('commit');
        bus.poke();
        await bus.catchUp();
        // Tailing `id > last` would have lost it: the bus had read past it already.
        expect(got).toEqual([highId, lowId]);
        // max(id) did not move, yet the late commit is announced to the other instances.
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(published.map((n) => n.eventId)).toEqual([highId, highId]);
      } finally {
        late.release();
      }
      bus.poke();
      await bus.catchUp();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(got).toHaveLength(2); // and nothing twice
      expect(published).toHaveLength(2);
    } finally {
      bus.close();
    }
  });

  it('an event written while nobody listened reaches a listener that subscribes later', async () => {
    // The cursor starts with the bus (server start-up), so a subscriber that reads its backlog
    // right after subscribing misses nothing committed in between.
    const bus = createPgMemberEventBus(database.pool, { intervalMs: 10 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const id = await addEvent(database.pool, 'membership.granted');
      const got: number[] = [];
      bus.subscribe('u1', (event) => got.push(event.id));
      const deadline = Date.now() + 3000;
      while (got.length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(got).toEqual([id]);
    } finally {
      bus.close();
    }
  });

  it('six senders on three instances claim each due mail exactly once', async () => {
    for (let i = 0; i < 30; i++)
      await database.pool.query(
        `insert into mail_outbox (id, "to", locale, template, subject, text, html, status, attempts,
                                  next_attempt_at, created_at)
         values ($1, 'x@example.test', 'en', 'password_reset', 's', 't', 'h', 'queued', 0, $2, $2)`,
        [`mail-${String(i).padStart(2, '0')}`, T0 - 1000 + i],
      );
    const stores = [instance(), instance(), instance()];
    const claimed: string[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, sender) => {
        const store = stores[sender % 3]!;
        for (;;) {
          const mail = await store.claimDueMail({ now: new Date(T0), leaseMs: 60_000 });
          if (!mail) return;
          claimed.push(mail.id);
        }
      }),
    );
    expect(claimed.sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `mail-${String(i).padStart(2, '0')}`),
    );
    const { rows } = await database.pool.query<{ attempts: number }>(
      'select distinct attempts from mail_outbox',
    );
    expect(rows.map((r) => Number(r.attempts))).toEqual([1]);
  });

  it('eight instances asking for a free lease at once: exactly one holds it', async () => {
    const stores = Array.from({ length: 8 }, () => instance(1));
    const won = await Promise.all(
      stores.map((store, i) =>
        store.holdLease({
          name: 'scheduler',
          holder: `instance-${i}`,
          ttlMs: 60_000,
          now: new Date(T0),
        }),
      ),
    );
    expect(won.filter(Boolean)).toHaveLength(1);
    const { rows } = await database.pool.query<{ holder: string }>('select holder from leases');
    expect(rows).toEqual([{ holder: `instance-${won.indexOf(true)}` }]);
  });

  it('the same "credits low" dip noticed by six instances at once: one mail', async () => {
    await database.pool.query(
      `insert into users (id, email, password_hash, created_at) values ('u1', 'u1@example.test', 'x', $1)`,
      [T0],
    );
    await database.pool.query(
      `insert into credit_ledger (id, user_id, delta, balance_after, kind, idempotency_key, created_at)
       values (1, 'u1', 200000, 200000, 'refill', 'refill:u1', $1)`,
      [T0],
    );
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () =>
        instance(1).noticeCreditsLow({
          userId: 'u1',
          balanceAfter: 50_000,
          charged: 100_000,
          now: new Date(T0),
          baseUrl: 'http://localhost:3000',
        }),
      ),
    );
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    const { rows } = await database.pool.query('select id from mail_outbox');
    expect(rows).toHaveLength(1);
  });

  it("other areas' writers: nothing when their transaction rolls back, everything when it commits", async () => {
    const ops = createPgOpsStore(database.db);
    await database.pool.query(
      `insert into users (id, email, password_hash, created_at, locale)
       values ('u1', 'u1@example.test', 'x', $1, 'zh-CN')`,
      [T0],
    );
    await database.pool.query(
      `insert into marks (id, tenant_id, slug, key, name, entitlements, created_at, updated_at)
       values ('m-pro', 'platform', 'pro', 'pro', 'Pro', '{}', $1, $1)`,
      [T0],
    );
    await database.pool.query(
      `insert into plans (id, tenant_id, mark_id, slug, key, name, price_minor, currency, interval,
                          created_at, updated_at)
       values ('p-pro', 'platform', 'm-pro', 'pro', 'pro', 'Pro monthly', 900, 'usd', 'month', $1, $1)`,
      [T0],
    );
    await database.pool.query(
      `insert into stripe_subscriptions (id, user_id, plan_id, mark_id, tenant_id, status,
         current_period_start, current_period_end, access_until, state_at, created_at, updated_at)
       values ('sub_1', 'u1', 'p-pro', 'm-pro', 'platform', 'past_due', $1, $1, $1, $1, $1, $1)`,
      [T0],
    );
    const now = new Date(T0);
    type Tx = Parameters<Parameters<typeof database.db.transaction>[0]>[0];
    // One after another: a transaction is one connection.
    const writeAll = async (tx: Tx) => {
      await appendMemberEventPg(tx, {
        userId: 'u1',
        kind: 'membership.granted',
        markKey: 'pro',
        now,
      });
      await appendBroadcastEventPg(tx, { kind: 'mark.changed', markKey: 'pro', now });
      await enqueueMailPg(tx, {
        to: 'u1@example.test',
        locale: 'en',
        template: 'password_reset',
        params: { link: 'http://localhost/reset', minutes: 30, email: 'u1@example.test' },
        now,
      });
      await recordAuditPg(tx, {
        tenantId: null,
        actorUserId: 'u1',
        actorLabel: null,
        action: 'auth.password_reset_requested',
        subjectType: 'user',
        subjectId: 'u1',
        data: { via: 'test' },
        ip: null,
        createdAt: now,
      });
    };
    const counts = async () => {
      const { rows } = await database.pool.query<Record<string, number>>(
        `select (select count(*) from member_events) as events,
                (select count(*) from mail_outbox) as mails,
                (select count(*) from audit_events) as audits,
                (select count(*) from notifications) as notifications`,
      );
      return rows[0];
    };
    await expect(
      database.db.transaction(async (tx) => {
        await writeAll(tx);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await counts()).toEqual({ events: 0, mails: 0, audits: 0, notifications: 0 });

    const outcomes = await database.db.transaction(async (tx) => {
      await writeAll(tx);
      return [
        await noticePaymentFailedPg(tx, {
          invoiceId: 'in_1',
          subscriptionId: 'sub_1',
          baseUrl: 'http://localhost:3000',
          now,
        }),
        await noticePaymentFailedPg(tx, {
          invoiceId: 'in_1', // Stripe retried the same invoice
          subscriptionId: 'sub_1',
          baseUrl: 'http://localhost:3000',
          now,
        }),
        await noticePaymentFailedPg(tx, {
          invoiceId: 'in_2',
          subscriptionId: 'sub_unknown',
          baseUrl: 'http://localhost:3000',
          now,
        }),
        await notifyPg(tx, {
          userId: 'nobody',
          kind: 'payment_failed',
          key: 'payment_failed:x',
          params: { link: 'http://localhost/account', planName: 'Pro' },
          now,
        }),
      ];
    });
    expect(outcomes).toEqual(['sent', 'already', 'unknown_subscription', 'no_user']);
    expect(await counts()).toEqual({ events: 2, mails: 2, audits: 1, notifications: 1 });
    const mails = await ops.listOutbox({ limit: 10 });
    expect(mails.map((m) => [m.template, m.locale]).sort()).toEqual([
      ['password_reset', 'en'],
      ['payment_failed', 'zh-CN'],
    ]);
    expect((await ops.listAudit({})).events[0]).toMatchObject({
      action: 'auth.password_reset_requested',
      subjectLabel: 'u1@example.test',
      data: { via: 'test' },
    });
    const { rows: events } = await database.pool.query(
      'select user_id, kind, mark_key from member_events order by id',
    );
    expect(events).toEqual([
      { user_id: 'u1', kind: 'membership.granted', mark_key: 'pro' },
      { user_id: '*', kind: 'mark.changed', mark_key: 'pro' },
    ]);
  });
});
