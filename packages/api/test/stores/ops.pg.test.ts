// The ops store's contract on PostgreSQL, then what only PostgreSQL can show: transactions that
// commit out of id order (the bus's commit-ordered cursor, decision 035) and instances racing for
// the same mail, lease or notification on separate connections.
import { createPgDb, type PgDbHandle } from '@tessera/db/pg';
import { createTestPgDatabase, type TestPgDatabase } from '@tessera/db/testing-pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MemberEventNotice } from '../../src/events/member-event-bus.ts';
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
});
