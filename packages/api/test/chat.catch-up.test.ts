// A revoke made by another process (the CLI, a second server) reaches this one through the outbox,
// which a timer reads every 20 ms — long enough for a fast stream to relay a chunk or two after the
// change. So the engine asks the bus to catch up before each chunk: SQLite's data_version says
// whether another connection has committed, and the outbox is read there and then. These tests give
// the bus a timer that never fires in time, so only the catch-up can deliver.
// SQLite-only (decision 043): data_version and a second connection to the file are SQLite's; on
// PostgreSQL a local poke is the store contract's (stores/ops.contract.ts) and another instance's
// revoke arrives through the transport (apps/server instance tests).
import { setTimeout as sleep } from 'node:timers/promises';
import { createDb } from '@tessera/db';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoProvider } from '../src/chat/providers/demo-provider.ts';
import { createProviderRegistry } from '../src/chat/providers/registry.ts';
import { type ChatEvent, runChat } from '../src/chat/run-chat.ts';
import { checkCreditInvariants } from '../src/domain/credits/check-invariants.ts';
import { grantMark } from '../src/domain/memberships/grant-mark.ts';
import { revokeMark } from '../src/domain/memberships/revoke-mark.ts';
import {
  CATCH_UP_EVERY_MS,
  createSqliteMemberEventBus,
  type DeliveredMemberEvent,
  type MemberEventBus,
} from '../src/events/member-event-bus.ts';
import { chatMember, createTestApi, demoIds, type TestApi } from './harness.ts';

const NEVER_IN_TIME_MS = 60_000;

describe('catching up with other processes', () => {
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

  async function setUp(email: string) {
    api = createTestApi({ seedDemo: true, start: new Date() });
    bus = createSqliteMemberEventBus(api.db.sqlite, { intervalMs: NEVER_IN_TIME_MS });
    other = createDb(api.db.path); // the CLI, or a second server process
    const member = await chatMember(api, email);
    return { ...member, proMarkId: (await demoIds(api)).marks.pro! };
  }

  it('delivers another connection’s write before catchUp() returns, and a poke on this one', async () => {
    const { userId, proMarkId } = await setUp('bus@example.com');
    const delivered: DeliveredMemberEvent[] = [];
    const unsubscribe = bus!.subscribe(userId, (event) => delivered.push(event));
    bus!.catchUp();
    expect(delivered).toEqual([]); // nothing written yet

    const grant = { userId, markId: proMarkId, days: 3, source: 'admin' as const };
    grantMark(other!.db, { ...grant, actorUserId: null, now: new Date() });
    await sleep(CATCH_UP_EVERY_MS + 1);
    bus!.catchUp();
    expect(delivered.map((e) => e.kind)).toEqual(['membership.granted']);

    // A write on the bus's own connection does not change data_version: the poke stands for it,
    // and catchUp() serves it at once rather than when the poke's own turn comes.
    revokeMark(api.db.db, { userId, markId: proMarkId, actorUserId: null, now: new Date() });
    bus!.poke();
    bus!.catchUp();
    // Revoking Pro also takes back the allowance beyond what Free grants (decision 015).
    expect(delivered.map((e) => e.kind)).toEqual([
      'membership.granted',
      'membership.revoked',
      'credits.changed',
    ]);
    unsubscribe();
  });

  it('stops a stream at the first chunk after another process revoked the mark it relies on', async () => {
    const { userId, context, proMarkId } = await setUp('pro@example.com');
    grantMark(api.db.db, {
      userId,
      markId: proMarkId,
      days: 30,
      source: 'admin',
      actorUserId: null,
      now: new Date(),
    });
    const member = await context();
    // A chunk every 5 ms: more than the catch-up's spacing, far less than the timer's.
    const provider = createDemoProvider({ timeToFirstTokenMs: 0, tokensPerSecond: 200 });
    const events: ChatEvent[] = [];
    let deltas = 0;
    for await (const event of runChat(
      {
        db: api.db.db,
        events: bus,
        now: () => new Date(),
        timeZone: 'UTC',
        providers: createProviderRegistry({ demo: provider }),
      },
      { requestId: 'req-catch-up', member, modelId: 'tessera-plus', content: 'A long story' },
    )) {
      events.push(event);
      if (event.type === 'delta' && ++deltas === 3)
        revokeMark(other!.db, { userId, markId: proMarkId, actorUserId: null, now: new Date() });
    }
    // Not one chunk after the revoke: the next one found it before it was relayed.
    expect(events.filter((e) => e.type === 'delta')).toHaveLength(3);
    const last = events.at(-1) as Extract<ChatEvent, { type: 'cut_off' }>;
    expect(last).toMatchObject({ type: 'cut_off', reason: { code: 'MODEL_NOT_IN_PLAN' } });
    expect(last.charged).toBeGreaterThan(0);
    expect(
      api.db.sqlite.prepare('select reserved from credit_accounts where user_id = ?').get(userId),
    ).toEqual({ reserved: 0 });
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);
  });
});
