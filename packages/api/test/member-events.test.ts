// Member events on either engine: written with the change they describe, streamed to the member
// concerned, one row per mark change for everyone. (A second SQLite connection's bus:
// member-events.other-connection.test.ts.)
import { afterEach, describe, expect, it } from 'vitest';
import { busUpToDate, demoIds, type EngineTestApi, openTestApi, signedUp } from './harness.ts';

describe('member events', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('are written in the same transaction as the change, and stream to the member with tracked ids', async () => {
    api = await openTestApi({ seedDemo: true });
    const { marks } = await demoIds(api);
    const admin = await signedUp(api, 'admin@example.com');
    const member = await signedUp(api, 'member@example.com');
    await busUpToDate(api);
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
    api = await openTestApi({ seedDemo: true });
    const { marks } = await demoIds(api);
    const member = await signedUp(api, 'member@example.com');
    const before = await countEvents(api);
    await expect(
      api.stores.members.revokeMark({
        userId: member.viewer.user.id,
        markId: marks.pro!,
        actorUserId: null,
        now: api.clock.now,
      }),
    ).rejects.toThrow();
    expect(await countEvents(api)).toBe(before);
  });

  it('only deliver to the member concerned, and cost nothing with nobody listening', async () => {
    api = await openTestApi({ seedDemo: true });
    const { marks } = await demoIds(api);
    const alice = await signedUp(api, 'alice@example.com');
    const bob = await signedUp(api, 'bob@example.com');
    await busUpToDate(api);
    const forBob: unknown[] = [];
    const stop = api.events.subscribe(bob.viewer.user.id, (e) => forBob.push(e));
    await api.stores.members.grantMark({
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
    api = await openTestApi({ seedDemo: true });
    const { marks } = await demoIds(api);
    const admin = await signedUp(api, 'admin@example.com');
    const seen: string[] = [];
    const stops = ['alice-id', 'bob-id'].map((userId) =>
      api.events.subscribe(userId, (e) => seen.push(`${userId}:${e.kind}`)),
    );
    const before = await countEvents(api);
    await api.caller(admin.browser).admin.marks.update({
      markId: marks.free!,
      entitlements: { models: ['tessera-mini'], requestsPerDay: 10 },
    });
    expect(await countEvents(api)).toBe(before + 1);
    await expect.poll(() => seen.sort()).toEqual(['alice-id:mark.changed', 'bob-id:mark.changed']);
    for (const stop of stops) stop();
  });
});

async function countEvents(api: EngineTestApi) {
  const [row] = await api.sql<{ n: number | string }>('select count(*) as n from member_events');
  return Number(row?.n);
}
