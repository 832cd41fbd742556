// A stream watcher on SQLite starts from the request's own member context only while it is current
// (chat.watch-start.test.ts, on both engines): a revoke committed on ANOTHER connection to the
// file (a CLI, a second server) after the request was gated must still be noticed. SQLite-only: on
// PostgreSQL every statement of the test already runs on a pooled connection of its own.
import { createDb } from '@tessera/db';
import { afterEach, describe, expect, it } from 'vitest';
import { type StopReason, watchQualification } from '../src/chat/watch-qualification.ts';
import { memberForApiKey } from '../src/member/api-key-members.ts';
import { createTestApi, demoIds, signedUp, type TestApi } from './harness.ts';

describe('where a stream watcher starts, on a shared SQLite file', () => {
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
});
