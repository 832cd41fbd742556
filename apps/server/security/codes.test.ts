// Redemption codes beyond the generic table (cases.ts): who may generate them, that a leaked API
// key is no session for them, and that a code is neither redeemable without a session nor twice.
import { generateCodes } from '@tessera/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './http.ts';
import { dumpDatabase, startWorld, type World } from './world.ts';

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.server.stop());

const batches = () =>
  (
    w.server.database.sqlite.prepare('select count(*) as n from redemption_batches').get() as {
      n: number;
    }
  ).n;

describe('redemption codes', () => {
  it('a vendor owner cannot generate codes, for the platform\u2019s plans or their own', async () => {
    const before = dumpDatabase(w.server);
    const ownPlanKey = (
      w.server.database.sqlite.prepare('select key from plans where id = ?').get(w.bob.planId) as {
        key: string;
      }
    ).key;
    for (const input of [
      { planKey: 'pro-monthly', count: 5, days: 365 },
      { planKey: ownPlanKey, count: 5 },
      { credits: 1_000_000, count: 5 },
    ]) {
      const reply = await call(w.server, w.bob, 'admin.codes.generate', 'mutation', input);
      expect(reply.status, JSON.stringify(input)).toBe(403);
      expect(reply.body.error.data.domainCode).toBe('FORBIDDEN');
    }
    const list = await call(w.server, w.bob, 'admin.codes.batches', 'query');
    expect(list.status).toBe(403);
    expect(dumpDatabase(w.server)).toEqual(before);
  });

  it('a leaked API key (Bearer) is no session: 401 on redeem, generate and the batch list', async () => {
    const before = dumpDatabase(w.server);
    for (const [path, method, body] of [
      ['codes.redeem', 'POST', { code: 'TSRA-0000-0000-0000-0000' }],
      ['admin.codes.generate', 'POST', { credits: 10, count: 1 }],
      ['admin.codes.batches', 'GET', undefined],
    ] as const) {
      const response = await fetch(`${w.server.url}/trpc/${path}`, {
        method,
        headers: {
          authorization: `Bearer ${w.root.apiKey}`,
          origin: w.server.url,
          'content-type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(response.status, path).toBe(401);
    }
    expect(dumpDatabase(w.server)).toEqual(before);
  });

  it('anonymous visitors are refused (401) and nothing is redeemed; bad input is a 400 that writes nothing', async () => {
    const { codes } = generateCodes(w.server.database.db, {
      credits: 100,
      count: 1,
      actorUserId: null,
      now: new Date(),
    });
    const before = dumpDatabase(w.server);
    const anonymous = await call(w.server, null, 'codes.redeem', 'mutation', { code: codes[0] });
    expect(anonymous.status).toBe(401);
    for (const input of [
      { code: 'not a code' },
      { code: `${codes[0]}X` },
      { code: '' },
      { code: 42 },
      {},
    ]) {
      const reply = await call(w.server, w.carol, 'codes.redeem', 'mutation', input);
      expect(reply.status, JSON.stringify(input)).toBe(400);
    }
    for (const input of [
      { count: 1 },
      { planKey: 'pro-monthly', credits: 5, count: 1 },
      { credits: 5, count: 0 },
      { credits: 5, count: 100_000 },
      { credits: -5, count: 1 },
      { credits: 5, count: 1, days: 3 },
      { planKey: 'pro-monthly', count: 1, days: 0 },
    ]) {
      const reply = await call(w.server, w.root, 'admin.codes.generate', 'mutation', input);
      expect(reply.status, JSON.stringify(input)).toBe(400);
    }
    expect(dumpDatabase(w.server)).toEqual(before);
    // And the code still works for a signed-in member, once.
    const batchesBefore = batches();
    const ok = await call(w.server, w.carol, 'codes.redeem', 'mutation', { code: codes[0] });
    expect(ok.status).toBe(200);
    expect(ok.body.result.data).toMatchObject({ alreadyRedeemed: false, grant: { credits: 100 } });
    const other = await call(w.server, w.alice, 'codes.redeem', 'mutation', { code: codes[0] });
    expect(other.status).toBe(409);
    expect(other.body.error.data.domainCode).toBe('CODE_USED');
    expect(batches()).toBe(batchesBefore);
  });
});
