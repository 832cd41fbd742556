// The bus behind a transport (decision 029), with an in-memory transport standing in for Redis
// pub/sub: a notice from another instance is what makes catchUp() read the outbox (no
// data_version, so no shared file needed); a poke announces the newest event id and auth epoch,
// once per change; when the transport drops, the bus polls the outbox as it does without one.
// SQLite-only (decision 043): the SQLite bus's notice-versus-data_version logic and its member
// cache; the same seam on both engines is in stores/ops.contract.ts ('with a transport').
import { setTimeout as sleep } from 'node:timers/promises';
import { createDb } from '@tessera/db';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionCookieName } from '../src/auth/session-policy.ts';
import { grantMark } from '../src/domain/memberships/grant-mark.ts';
import { revokeMark } from '../src/domain/memberships/revoke-mark.ts';
import {
  CATCH_UP_EVERY_MS,
  createSqliteMemberEventBus,
  type DeliveredMemberEvent,
  type MemberEventBus,
  type MemberEventNotice,
  type MemberEventTransport,
} from '../src/events/member-event-bus.ts';
import { authenticate } from '../src/member/auth-cache.ts';
import { forgetMemberContextsBefore } from '../src/member/forget-before-epoch.ts';
import { chatMember, createTestApi, demoIds, type TestApi } from './harness.ts';

const NEVER_IN_TIME_MS = 60_000;

/** Pub/sub in memory: what `publish` sends, and hands to drive the subscriber side. */
function fakeTransport() {
  const published: MemberEventNotice[] = [];
  let handlers: Parameters<MemberEventTransport['start']>[0] | undefined;
  const transport: MemberEventTransport = {
    publish: (notice) => published.push(notice),
    start: (h) => {
      handlers = h;
    },
    close: () => {},
  };
  return {
    transport,
    published,
    deliver: (notice: MemberEventNotice) => handlers!.onNotice(notice),
    setLive: (live: boolean) => handlers!.onLive(live),
  };
}

describe('the member-event bus behind a transport', () => {
  let api: TestApi;
  let bus: MemberEventBus | undefined;
  let other: ReturnType<typeof createDb> | undefined;
  afterEach(() => {
    bus?.close();
    other?.close();
    api.destroy();
    bus = undefined;
    other = undefined;
  });

  async function setUp(onAuthEpoch?: (epoch: number) => void) {
    api = createTestApi({ seedDemo: true, start: new Date() });
    const fake = fakeTransport();
    bus = createSqliteMemberEventBus(api.db.sqlite, {
      intervalMs: 5,
      safetyPollMs: NEVER_IN_TIME_MS,
      transport: fake.transport,
      onAuthEpoch,
    });
    other = createDb(api.db.path); // another instance's connection
    const member = await chatMember(api, 'bus@example.com');
    const grant = {
      userId: member.userId,
      markId: (await demoIds(api)).marks.pro!,
      days: 3,
      source: 'admin' as const,
      actorUserId: null,
    };
    return { ...member, fake, grant };
  }

  it('reads the outbox on a notice (not data_version) while the transport is live', async () => {
    const { userId, fake, grant } = await setUp();
    fake.setLive(true);
    const delivered: DeliveredMemberEvent[] = [];
    const unsubscribe = bus!.subscribe(userId, (event) => delivered.push(event));

    grantMark(other!.db, { ...grant, now: new Date() });
    await sleep(CATCH_UP_EVERY_MS + 20); // data_version has changed; the poll is a minute away
    bus!.catchUp();
    expect(delivered).toEqual([]); // no notice yet: nothing to read

    const newest = other!.sqlite.prepare('select max(id) as id from member_events').get() as {
      id: number;
    };
    fake.deliver({ eventId: newest.id, authEpoch: 0 });
    bus!.catchUp(); // synchronously: the chunk in hand is stopped
    expect(delivered.map((e) => e.kind)).toEqual(['membership.granted']);
    unsubscribe();
  });

  it('a notice alone wakes a subscriber between chunks', async () => {
    const { userId, fake, grant } = await setUp();
    fake.setLive(true);
    const delivered = new Promise<DeliveredMemberEvent>((resolve) =>
      bus!.subscribe(userId, resolve),
    );
    grantMark(other!.db, { ...grant, now: new Date() });
    fake.deliver({ eventId: Number.MAX_SAFE_INTEGER, authEpoch: 0 });
    expect((await delivered).kind).toBe('membership.granted');
  });

  it('falls back to polling while the transport is down, and catches up when it is back', async () => {
    const { userId, fake, grant } = await setUp();
    fake.setLive(true);
    const delivered: string[] = [];
    bus!.subscribe(userId, (event) => delivered.push(event.kind));

    fake.setLive(false); // Redis went away: poll every 5 ms (this test's fast interval)
    grantMark(other!.db, { ...grant, now: new Date() });
    await expect.poll(() => delivered).toEqual(['membership.granted']);

    // Back, with the notice for this revoke lost: going live reads the outbox once.
    revokeMark(other!.db, { ...grant, now: new Date() });
    fake.setLive(true);
    await expect.poll(() => delivered).toContain('membership.revoked');
  });

  it('announces the newest event id and auth epoch after a local write, once per change', async () => {
    const { fake, grant } = await setUp();
    const before = fake.published.length;
    bus!.poke();
    bus!.poke(); // nothing new: nothing published
    expect(fake.published.length - before).toBeLessThanOrEqual(1);
    const at = fake.published.length;

    grantMark(api.db.db, { ...grant, now: new Date() });
    bus!.poke();
    bus!.poke();
    const epoch = Number(
      (
        api.db.sqlite.prepare("select value from app_meta where key = 'auth_epoch'").get() as {
          value: string;
        }
      ).value,
    );
    const newest = (
      api.db.sqlite.prepare('select max(id) as id from member_events').get() as { id: number }
    ).id;
    expect(fake.published.slice(at)).toEqual([{ eventId: newest, authEpoch: epoch }]);
  });

  it('hands a newer auth epoch to onAuthEpoch, which drops cached contexts built before it', async () => {
    const epochs: number[] = [];
    const { fake, browser } = await setUp((epoch) => {
      epochs.push(epoch);
      forgetMemberContextsBefore(api.db.sqlite, epoch);
    });
    const token = browser.get(sessionCookieName(false))!;
    expect(authenticate(api.db.db, token, new Date())).not.toBeNull(); // cached at today's epoch
    const epoch = Number(
      (
        api.db.sqlite.prepare("select value from app_meta where key = 'auth_epoch'").get() as {
          value: string;
        }
      ).value,
    );
    expect(forgetMemberContextsBefore(api.db.sqlite, epoch)).toBe(0); // current: kept
    fake.deliver({ eventId: 0, authEpoch: epoch + 1 });
    fake.deliver({ eventId: 0, authEpoch: epoch }); // older: ignored
    expect(epochs).toEqual([epoch + 1]);
    expect(forgetMemberContextsBefore(api.db.sqlite, epoch + 1)).toBe(0); // already dropped
  });
});
