// A stream's watcher may start from the request's own member context — without rebuilding it —
// only while that context is provably current: built at today's auth epoch, with none of its marks
// ended. Anything else is rebuilt before the first token, so no change slips between the request's
// gate and the stream.
import { createDb } from '@tessera/db';
import { afterEach, describe, expect, it } from 'vitest';
import { type StopReason, watchQualification } from '../src/chat/watch-qualification.ts';
import { memberForApiKey } from '../src/member/api-key-members.ts';
import { createTestApi, demoIds, signedUp, type TestApi } from './harness.ts';

describe('where a stream watcher starts', () => {
  let api: TestApi;
  afterEach(() => api.destroy());

  async function proMember(expiresInMs: number | null) {
    api = createTestApi({ seedDemo: true });
    const { marks } = await demoIds(api);
    const { viewer } = await signedUp(api, 'watched@example.com');
    const now = api.clock.now.getTime();
    api.db.sqlite
      .prepare(
        "insert into memberships (id, user_id, mark_id, starts_at, expires_at, status, source, created_at, updated_at) values ('w1', ?, ?, 0, ?, 'active', 'admin', 0, 0)",
      )
      .run(viewer.user.id, marks.pro, expiresInMs === null ? null : now + expiresInMs);
    // The context an API request is gated with (memberForApiKey records the epoch it read).
    const member = memberForApiKey(
      api.db.db,
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
      db: api.db.db,
      events: api.events,
      now: () => api.clock.now,
      member,
      requirement: { marks: ['pro'] },
      onLost: (reason) => lost.push(reason),
    });
    return { lost, watcher };
  }

  it('notices a revoke committed on another connection after the request was gated', async () => {
    const member = await proMember(null);
    const other = createDb(api.db.path); // a CLI or a second server
    try {
      other.sqlite
        .prepare("update memberships set status = 'revoked', expires_at = ? where id = 'w1'")
        .run(api.clock.now.getTime());
    } finally {
      other.close();
    }
    const { lost, watcher } = watch(member);
    watcher.stop();
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ code: 'MARK_REQUIRED' });
  });

  it('rebuilds a context whose mark ended between the gate and the stream', async () => {
    const member = await proMember(1000);
    api.clock.advance(1000);
    const { lost, watcher } = watch(member);
    watcher.stop();
    expect(lost.map((r) => r.code)).toEqual(['MARK_REQUIRED']);
  });

  it('keeps an unchanged context and re-checks it when its first mark ends', async () => {
    const member = await proMember(40);
    const { lost, watcher } = watch(member);
    try {
      expect(lost).toEqual([]);
      api.clock.advance(40);
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(lost.map((r) => r.code)).toEqual(['MARK_REQUIRED']);
    } finally {
      watcher.stop();
    }
  });

  it('re-checks on membership events, not on the credits event every charged answer sends', async () => {
    const member = await proMember(null);
    const { lost, watcher } = watch(member);
    const delivered = async (kind: 'credits.changed' | 'membership.revoked') => {
      // Written as another process would (no poke): the bus finds it at its next poll.
      api.db.sqlite
        .prepare('insert into member_events (user_id, kind, created_at) values (?, ?, ?)')
        .run(member.user.id, kind, api.clock.now.getTime());
      await new Promise((resolve) => setTimeout(resolve, 60));
    };
    try {
      // The mark is gone in the database, but only a membership event makes the watcher look.
      api.db.sqlite
        .prepare("update memberships set status = 'revoked', expires_at = ? where id = 'w1'")
        .run(api.clock.now.getTime());
      await delivered('credits.changed');
      expect(lost).toEqual([]);
      await delivered('membership.revoked');
      expect(lost.map((r) => r.code)).toEqual(['MARK_REQUIRED']);
    } finally {
      watcher.stop();
    }
  });
});
