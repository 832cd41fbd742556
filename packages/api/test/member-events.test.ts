import { createDb, memberEvents } from '@tessera/db';
import { afterEach, describe, expect, it } from 'vitest';
import { grantMark } from '../src/domain/memberships/grant-mark.ts';
import { revokeMark } from '../src/domain/memberships/revoke-mark.ts';
import { createSqliteMemberEventBus } from '../src/events/member-event-bus.ts';
import { createTestApi, demoIds, signedUp, type TestApi } from './harness.ts';

describe('member events', () => {
  let api: TestApi;
  afterEach(() => api.destroy());

  it('are written in the same transaction as the change, and stream to the member with tracked ids', async () => {
    api = createTestApi({ seedDemo: true });
    const { marks } = await demoIds(api);
    const admin = await signedUp(api, 'admin@example.com');
    const member = await signedUp(api, 'member@example.com');
    const stream = await api.caller(member.browser).membership.events();
    const received: unknown[] = [];
    let connected!: () => void;
    const ready = new Promise<void>((resolve) => {
      connected = resolve;
    });
    const reading = (async () => {
      for await (const event of stream) {
        if ((event as { kind?: string }).kind === 'connected') {
          connected();
          continue;
        }
        const [id, data] = event as unknown as [string, unknown];
        received.push([id, data]);
        if (received.length === 2) break; // ends the generator, which unsubscribes
      }
    })();
    await ready;

    const adminCaller = api.caller(admin.browser);
    await adminCaller.admin.memberships.grant({
      userId: member.viewer.user.id,
      markId: marks.pro!,
      days: 1,
      reason: 'demo',
    });
    await adminCaller.admin.memberships.revoke({
      userId: member.viewer.user.id,
      markId: marks.pro!,
      reason: 'over',
    });
    await reading;
    // In-process callers see tracked() events as [id, data] tuples; SSE sends `id:` lines.
    expect(received).toMatchObject([
      [expect.any(String), { kind: 'membership.granted', markKey: 'pro' }],
      [expect.any(String), { kind: 'membership.revoked', markKey: 'pro' }],
    ]);
    const [first, second] = received as [string][];
    expect(Number(second![0])).toBeGreaterThan(Number(first![0]));
  });

  it('roll back with a refused change: no event without the change', async () => {
    api = createTestApi({ seedDemo: true });
    const { marks } = await demoIds(api);
    const member = await signedUp(api, 'member@example.com');
    const count = () => api.db.db.select().from(memberEvents).all().length;
    const before = count();
    expect(() =>
      revokeMark(api.db.db, {
        userId: member.viewer.user.id,
        markId: marks.pro!,
        actorUserId: null,
        now: api.clock.now,
      }),
    ).toThrow();
    expect(count()).toBe(before);
  });

  it('reach a subscriber on another connection to the same file (another process, in effect)', async () => {
    api = createTestApi({ seedDemo: true });
    const { marks } = await demoIds(api);
    const member = await signedUp(api, 'member@example.com');
    // A second connection, as a second server process or the CLI would have.
    const other = createDb(api.db.path);
    const bus = createSqliteMemberEventBus(other.sqlite, { intervalMs: 10 });
    try {
      const delivered = new Promise<{ kind: string }>((resolve) =>
        bus.subscribe(member.viewer.user.id, resolve),
      );
      grantMark(api.db.db, {
        userId: member.viewer.user.id,
        markId: marks.pro!,
        days: 3,
        source: 'admin',
        actorUserId: null,
        now: api.clock.now,
      });
      expect(await delivered).toMatchObject({ kind: 'membership.granted', markKey: 'pro' });
    } finally {
      bus.close();
      other.close();
    }
  });

  it('only deliver to the member concerned, and cost nothing with nobody listening', async () => {
    api = createTestApi({ seedDemo: true });
    const { marks } = await demoIds(api);
    const alice = await signedUp(api, 'alice@example.com');
    const bob = await signedUp(api, 'bob@example.com');
    const forBob: unknown[] = [];
    const stop = api.events.subscribe(bob.viewer.user.id, (e) => forBob.push(e));
    grantMark(api.db.db, {
      userId: alice.viewer.user.id,
      markId: marks.pro!,
      days: 3,
      source: 'admin',
      actorUserId: null,
      now: api.clock.now,
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(forBob).toEqual([]);
    stop();
  });

  it('deliver a change to a mark as one row that reaches every subscriber', async () => {
    api = createTestApi({ seedDemo: true });
    const { marks } = await demoIds(api);
    const admin = await signedUp(api, 'admin@example.com');
    const seen: string[] = [];
    const stops = ['alice-id', 'bob-id'].map((userId) =>
      api.events.subscribe(userId, (e) => seen.push(`${userId}:${e.kind}`)),
    );
    const rows = () =>
      (api.db.sqlite.prepare('select count(*) as n from member_events').get() as { n: number }).n;
    const before = rows();
    await api.caller(admin.browser).admin.marks.update({
      markId: marks.free!,
      entitlements: { models: ['tessera-mini'], requestsPerDay: 10 },
    });
    expect(rows()).toBe(before + 1);
    await expect.poll(() => seen.sort()).toEqual(['alice-id:mark.changed', 'bob-id:mark.changed']);
    for (const stop of stops) stop();
  });
});
