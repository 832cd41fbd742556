// A stream's watcher may start from the request's own member context — without rebuilding it —
// only while that context is provably current: built at today's auth epoch, with none of its marks
// ended. Anything else is rebuilt before the first token, so no change slips between the request's
// gate and the stream. On either engine: the watcher the routers start there (SQLite's on the
// connection, PostgreSQL's through the stores). A revoke from another SQLite connection:
// chat.watch-start.other-connection.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { type StopReason, watchQualification } from '../src/chat/watch-qualification.ts';
import {
  busUpToDate,
  demoIds,
  type EngineTestApi,
  openTestApi,
  signedUp,
  sqliteDbOf,
} from './harness.ts';

describe('where a stream watcher starts', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  async function proMember(expiresInMs: number | null) {
    api = await openTestApi({ seedDemo: true });
    const { marks } = await demoIds(api);
    const { viewer } = await signedUp(api, 'watched@example.com');
    const now = api.clock.now.getTime();
    await api.sql(
      `insert into memberships (id, user_id, mark_id, starts_at, expires_at, status, source, created_at, updated_at)
       values ('w1', $1, $2, 0, $3, 'active', 'admin', 0, 0)`,
      [viewer.user.id, marks.pro, expiresInMs === null ? null : now + expiresInMs],
    );
    // The context an API request is gated with (memberForApiKey records the epoch it read).
    const member = await api.stores.members.memberForApiKey(
      { keyId: 'key-1', userId: viewer.user.id },
      api.clock.now,
    );
    expect(member.epoch).toBeDefined();
    expect(member.memberships.map((m) => m.markKey)).toContain('pro');
    return member;
  }

  function watch(member: Awaited<ReturnType<typeof proMember>>) {
    const lost: StopReason[] = [];
    const watcher = watchQualification({
      db: sqliteDbOf(api),
      stores: api.stores,
      events: api.events,
      now: () => api.clock.now,
      member,
      requirement: { marks: ['pro'] },
      onLost: (reason) => lost.push(reason),
    });
    return { lost, watcher };
  }

  it('notices a revoke committed after the request was gated', async () => {
    const member = await proMember(null);
    await api.sql("update memberships set status = 'revoked', expires_at = $1 where id = 'w1'", [
      api.clock.now,
    ]);
    const { lost, watcher } = watch(member);
    await watcher.checking();
    watcher.stop();
    expect(lost.map((r) => r.code)).toEqual(['MARK_REQUIRED']);
  });

  it('rebuilds a context whose mark ended between the gate and the stream', async () => {
    const member = await proMember(1000);
    api.clock.advance(1000);
    const { lost, watcher } = watch(member);
    await watcher.checking(); // PostgreSQL's first check is under way (SQLite's is done)
    watcher.stop();
    expect(lost.map((r) => r.code)).toEqual(['MARK_REQUIRED']);
  });

  it('keeps an unchanged context and re-checks it when its first mark ends', async () => {
    const member = await proMember(40);
    const { lost, watcher } = watch(member);
    try {
      await watcher.checking();
      expect(lost).toEqual([]);
      api.clock.advance(40);
      await new Promise((resolve) => setTimeout(resolve, 120));
      await watcher.checking();
      expect(lost.map((r) => r.code)).toEqual(['MARK_REQUIRED']);
    } finally {
      watcher.stop();
    }
  });

  it('re-checks on membership events, not on the credits event every charged answer sends', async () => {
    const member = await proMember(null);
    await busUpToDate(api); // the sign-up's own events are not what this test is about
    const { lost, watcher } = watch(member);
    await watcher.checking();
    const delivered = async (kind: 'credits.changed' | 'membership.revoked') => {
      // Written as another process would (no poke): the bus finds it at its next poll.
      await api.sql('insert into member_events (user_id, kind, created_at) values ($1, $2, $3)', [
        member.user.id,
        kind,
        api.clock.now,
      ]);
      await new Promise((resolve) => setTimeout(resolve, 60));
      await watcher.checking(); // a re-check it started has finished
    };
    try {
      // The mark is gone in the database, but only a membership event makes the watcher look.
      await api.sql("update memberships set status = 'revoked', expires_at = $1 where id = 'w1'", [
        api.clock.now,
      ]);
      await delivered('credits.changed');
      expect(lost).toEqual([]);
      await delivered('membership.revoked');
      expect(lost.map((r) => r.code)).toEqual(['MARK_REQUIRED']);
    } finally {
      watcher.stop();
    }
  });
});
