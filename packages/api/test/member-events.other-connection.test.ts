// A member event written on one SQLite connection reaches a bus on another connection to the same
// file (a second server process or the CLI, in effect): SQLite's own outbox tailing. Kept apart
// from member-events.test.ts, which runs on both engines; PostgreSQL's bus reads through pooled
// connections anyway (stores/ops.contract.ts, stores/ops.pg.test.ts).
import { createDb } from '@tessera/db';
import { afterEach, describe, expect, it } from 'vitest';
import { grantMark } from '../src/domain/memberships/grant-mark.ts';
import { createSqliteMemberEventBus } from '../src/events/member-event-bus.ts';
import { createTestApi, demoIds, signedUp, type TestApi } from './harness.ts';

describe('member events on SQLite', () => {
  let api: TestApi;
  afterEach(() => api.destroy());

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
});
