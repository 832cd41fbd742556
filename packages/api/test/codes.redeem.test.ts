// Redemption codes through the API: a plan code grants its mark for the batch's days with the
// member event a grant emits, a credits code adds credits, each code counts once, guessing is
// throttled, and refusals write nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { Browser, type EngineTestApi, openTestApi, signedUp } from './harness.ts';
import { creditAccount, rowsWithNumbers } from './money-fixtures.ts';

let api: EngineTestApi;
afterEach(() => api.destroy());

const DAY = 86_400_000;

async function world() {
  api = await openTestApi({ seedDemo: true });
  const root = await signedUp(api, 'root@example.com');
  const member = await signedUp(api, 'member@example.com');
  const other = await signedUp(api, 'other@example.com');
  return {
    admin: api.caller(root.browser),
    member: api.caller(member.browser),
    memberId: member.viewer.user.id,
    other: api.caller(other.browser),
    otherId: other.viewer.user.id,
  };
}

const one = async <T>(sql: string, ...params: unknown[]) => (await api.sql<T>(sql, params))[0]!;
const all = <T>(sql: string, ...params: unknown[]) => api.sql<T>(sql, params);
const balance = async (userId: string) => (await creditAccount(api, userId))!.balance;
/** Every table but the throttle buckets, as text: what "nothing written" compares. */
async function dump() {
  // Where each engine lists its tables: the one statement here that is not shared SQL.
  const tables = await all<{ name: string }>(
    api.engine === 'sqlite'
      ? "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'"
      : "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
  );
  expect(tables.map((t) => t.name)).toContain('redemption_codes'); // the listing found them
  const dumped: Record<string, string[]> = {};
  for (const { name } of tables) {
    if (name === 'auth_throttles') continue;
    // Sorted here, not by the database: row order is no part of "nothing written".
    dumped[name] = (await all(`select * from "${name}"`)).map((row) => JSON.stringify(row)).sort();
  }
  return dumped;
}

describe('redemption codes', () => {
  it('a plan code grants its mark for the batch\u2019s days, emits the grant\u2019s member event, and is audited', async () => {
    const { admin, member, memberId } = await world();
    const { batch, codes } = await admin.admin.codes.generate({
      planKey: 'pro-monthly',
      count: 3,
      days: 30,
    });
    expect(batch).toMatchObject({ planKey: 'pro-monthly', days: 30, count: 3, credits: null });
    expect(codes).toHaveLength(3);
    for (const code of codes) expect(code).toMatch(/^TSRA(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    expect(new Set(codes).size).toBe(3);
    // Only hashes are stored: no code, nor its body, is anywhere in the database.
    const everything = JSON.stringify(await dump());
    for (const code of codes) expect(everything).not.toContain(code.slice(5).replaceAll('-', ''));

    const eventsBefore = Number(
      (await one<{ id: unknown }>('select coalesce(max(id), 0) as id from member_events')).id,
    );
    const result = await member.codes.redeem({ code: codes[0]! });
    const expiresAt = new Date(api.clock.now.getTime() + 30 * DAY);
    expect(result).toEqual({
      alreadyRedeemed: false,
      grant: { kind: 'plan', planKey: 'pro-monthly', markKey: 'pro', days: 30, expiresAt },
      redeemedAt: api.clock.now,
    });
    const mine = await member.membership.mine();
    expect(mine.marks.find((m) => m.markKey === 'pro')).toMatchObject({
      expiresAt,
      source: 'redeem',
    });
    expect(
      await all(
        'select kind, mark_key as "markKey" from member_events where user_id = $1 and id > $2',
        memberId,
        eventsBefore,
      ),
    ).toEqual([{ kind: 'membership.granted', markKey: 'pro' }]);
    const audit = (
      await all<{ action: string; data: string; ip: string }>(
        "select action, cast(data as text) as data, ip from audit_events where subject_id = $1 and action in ('code.redeemed', 'membership.granted') order by id",
        memberId,
      )
    ).filter((a) => JSON.parse(a.data).markKey === 'pro');
    expect(audit.map((a) => a.action)).toEqual(['membership.granted', 'code.redeemed']);
    expect(JSON.parse(audit[1]!.data)).toMatchObject({
      planKey: 'pro-monthly',
      markKey: 'pro',
      days: 30,
    });
    expect(audit[1]!.ip).toBe('203.0.113.7');

    // A second code of the batch extends from the current end, as any grant does.
    const again = await member.codes.redeem({ code: codes[1]! });
    expect(again.grant).toMatchObject({ expiresAt: new Date(expiresAt.getTime() + 30 * DAY) });

    const [listed] = await admin.admin.codes.batches();
    expect(listed).toMatchObject({
      id: batch.id,
      count: 3,
      redeemed: 2,
      createdByEmail: 'root@example.com',
    });
  });

  it('without days a plan code grants the plan\u2019s own term; a plan with no term needs days', async () => {
    const { admin, member } = await world();
    const { codes } = await admin.admin.codes.generate({ planKey: 'pro-yearly', count: 1 });
    const result = await member.codes.redeem({ code: codes[0]! });
    expect(result.grant).toMatchObject({
      days: 366,
      expiresAt: new Date(api.clock.now.getTime() + 366 * DAY),
    });
    await api.sql(
      "update plans set interval = 'once', duration_days = null where key = 'pro-yearly'",
    );
    await expect(
      admin.admin.codes.generate({ planKey: 'pro-yearly', count: 1 }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      cause: { code: 'VALIDATION', details: { fieldErrors: { days: ['REQUIRED'] } } },
    });
  });

  it('a credits code adds its credits once, with a ledger row keyed by the code and a credits event', async () => {
    const { admin, member, memberId } = await world();
    const { codes } = await admin.admin.codes.generate({
      credits: 25_000,
      count: 1,
      note: 'meetup',
    });
    const before = await balance(memberId);
    // Typed sloppily: lower case, spaces for dashes, no prefix, O for 0 and l for 1.
    const typed = codes[0]!
      .slice(5)
      .toLowerCase()
      .replaceAll('-', ' ')
      .replaceAll('0', 'O')
      .replaceAll('1', 'l');
    const result = await member.codes.redeem({ code: ` ${typed} ` });
    expect(result).toMatchObject({
      alreadyRedeemed: false,
      grant: { kind: 'credits', credits: 25_000 },
    });
    expect(await balance(memberId)).toBe(before + 25_000);
    // In the purchased pot, which no refill touches.
    expect(
      Number(
        (
          await one<{ purchased: unknown }>(
            'select purchased from credit_accounts where user_id = $1',
            memberId,
          )
        ).purchased,
      ),
    ).toBe(25_000);
    const codeId = (await one<{ id: string }>('select id from redemption_codes')).id;
    expect(
      await rowsWithNumbers(
        api,
        ['delta'],
        'select delta, pot, kind, idempotency_key as key from credit_ledger where user_id = $1 and delta = 25000',
        [memberId],
      ),
    ).toEqual([{ delta: 25_000, pot: 'purchased', kind: 'purchase', key: `code:${codeId}` }]);
    expect(
      Number(
        (
          await one<{ n: unknown }>(
            "select count(*) as n from member_events where user_id = $1 and kind = 'credits.changed'",
            memberId,
          )
        ).n,
      ),
    ).toBeGreaterThan(0);
  });

  it('redeeming one\u2019s own code again changes nothing and says so; anyone else is told it is used', async () => {
    const { admin, member, memberId, other, otherId } = await world();
    const { codes } = await admin.admin.codes.generate({ credits: 500, count: 1 });
    const first = await member.codes.redeem({ code: codes[0]! });
    const afterFirst = await dump();
    api.clock.advance(60_000);
    const second = await member.codes.redeem({ code: codes[0]!.toLowerCase() });
    expect(second).toEqual({ ...first, alreadyRedeemed: true });
    expect(await dump()).toEqual(afterFirst);
    expect(await balance(memberId)).toBe(500);

    const otherBalance = await balance(otherId);
    await expect(other.codes.redeem({ code: codes[0]! })).rejects.toMatchObject({
      code: 'CONFLICT',
      cause: { code: 'CODE_USED' },
    });
    await expect(other.codes.redeem({ code: 'TSRA-0000-0000-0000-0000' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      cause: { code: 'CODE_INVALID' },
    });
    expect(await balance(otherId)).toBe(otherBalance);
    expect(await dump()).toEqual(afterFirst);
  });

  it('an expired batch\u2019s codes and a suspended seller\u2019s codes are refused, and the code stays unused', async () => {
    const { admin, member, memberId } = await world();
    const expiring = await admin.admin.codes.generate({
      credits: 10,
      count: 1,
      expiresAt: new Date(api.clock.now.getTime() + DAY),
    });
    const acmePlan = await one<{ key: string; tenant_id: string }>(
      "select key, tenant_id from plans where tenant_id <> 'platform' limit 1",
    );
    const vendorCodes = await admin.admin.codes.generate({
      planKey: acmePlan.key,
      count: 1,
      days: 7,
    });
    api.clock.advance(2 * DAY);
    await expect(member.codes.redeem({ code: expiring.codes[0]! })).rejects.toMatchObject({
      cause: { code: 'CODE_EXPIRED' },
    });
    await api.stores.catalog.setVendorSuspended({
      tenantId: acmePlan.tenant_id,
      suspended: true,
      actorUserId: null,
      now: api.clock.now,
    });
    const before = await dump();
    await expect(member.codes.redeem({ code: vendorCodes.codes[0]! })).rejects.toMatchObject({
      cause: { code: 'CODE_EXPIRED', details: { fieldErrors: { code: ['SELLER_SUSPENDED'] } } },
    });
    expect(await dump()).toEqual(before);
    await expect(
      admin.admin.codes.generate({ planKey: acmePlan.key, count: 1 }),
    ).rejects.toMatchObject({
      cause: { details: { fieldErrors: { planKey: ['SUSPENDED'] } } },
    });
    // Reinstated, the same code works: the refused attempt did not spend it.
    await api.stores.catalog.setVendorSuspended({
      tenantId: acmePlan.tenant_id,
      suspended: false,
      actorUserId: null,
      now: api.clock.now,
    });
    const redeemed = await member.codes.redeem({ code: vendorCodes.codes[0]! });
    expect(redeemed.grant).toMatchObject({ kind: 'plan', planKey: acmePlan.key, days: 7 });
    expect(
      (
        await one<{ source: string }>(
          'select source from memberships where user_id = $1 and reference like $2',
          memberId,
          'code:%',
        )
      ).source,
    ).toBe('redeem');
  });

  it('a vendor plan code grants the vendor\u2019s mark only within the vendor\u2019s ceiling', async () => {
    const { admin, member } = await world();
    const { codes } = await admin.admin.codes.generate({ planKey: 'acme:acme-writer', count: 1 });
    // The platform lowers Acme's ceiling below what its Writer mark says (tessera-plus, SEO).
    await api.stores.catalog.setVendorCeiling({
      tenantId: 'acme',
      ceiling: { models: ['tessera-mini'], plugins: [], requestsPerDay: 10 },
      actorUserId: null,
      now: api.clock.now,
    });
    const result = await member.codes.redeem({ code: codes[0]! });
    expect(result.grant).toMatchObject({ kind: 'plan', markKey: 'acme:writer', days: 31 });
    const mine = await member.membership.mine();
    expect(mine.marks.map((m) => m.markKey)).toContain('acme:writer');
    expect(mine.entitlements.models).not.toContain('tessera-plus');
    expect(mine.entitlements.plugins).not.toContain('seo-analysis');
  });

  it('guessing is throttled per member; a member\u2019s own code does not count against them', async () => {
    const { admin, member } = await world();
    const { codes } = await admin.admin.codes.generate({ credits: 10, count: 2 });
    const guess = (n: number) => `TSRA-0000-0000-0000-${String(n).padStart(4, '2')}`;
    // The member's own code among the guesses gives its token back.
    for (let i = 0; i < 9; i++) {
      await expect(member.codes.redeem({ code: guess(i) })).rejects.toMatchObject({
        cause: { code: 'CODE_INVALID' },
      });
    }
    await member.codes.redeem({ code: codes[0]! });
    await expect(member.codes.redeem({ code: guess(9) })).rejects.toMatchObject({
      cause: { code: 'CODE_INVALID' },
    });
    // Ten failures: the eleventh attempt is refused before the code is even looked at.
    await expect(member.codes.redeem({ code: codes[1]! })).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      cause: { code: 'TOO_MANY_ATTEMPTS' },
    });
    expect(
      (
        await one<{ r: string | null }>(
          'select redeemed_by as r from redemption_codes where hint = $1',
          codes[1]!.slice(-4),
        )
      ).r,
    ).toBeNull();
    // Tokens come back with time (30 an hour: one every two minutes).
    api.clock.advance(2 * 60_000);
    await expect(member.codes.redeem({ code: codes[1]! })).resolves.toMatchObject({
      alreadyRedeemed: false,
    });
  });

  it('guessing is throttled per network: many accounts from one address share 30 guesses', async () => {
    const { admin } = await world();
    const { codes } = await admin.admin.codes.generate({ credits: 10, count: 1 });
    const guess = (n: number) => `TSRA-0000-0000-${String(n).padStart(4, '2')}-0000`;
    const fromOneNetwork = async (n: number) => {
      const browser = new Browser(`2001:db8:1:2::${n}`);
      await api
        .caller(browser)
        .auth.signUp({ email: `guesser${n}@example.com`, password: 'tessellated-mosaic-42' });
      return api.caller(browser);
    };
    // Six accounts of one /64, five guesses each, none near its own limit of ten.
    for (let n = 1; n <= 6; n++) {
      const guesser = await fromOneNetwork(n);
      for (let i = 0; i < 5; i++) {
        await expect(guesser.codes.redeem({ code: guess(n * 10 + i) })).rejects.toMatchObject({
          cause: { code: 'CODE_INVALID' },
        });
      }
    }
    const seventh = await fromOneNetwork(7);
    await expect(seventh.codes.redeem({ code: codes[0]! })).rejects.toMatchObject({
      cause: { code: 'TOO_MANY_ATTEMPTS' },
    });
    // From another network the same code works at once.
    const elsewhere = api.caller(new Browser('198.51.100.9'));
    await elsewhere.auth.signUp({
      email: 'elsewhere@example.com',
      password: 'tessellated-mosaic-42',
    });
    await expect(elsewhere.codes.redeem({ code: codes[0]! })).resolves.toMatchObject({
      alreadyRedeemed: false,
    });
  });

  it('invalid input writes nothing and takes no token; only platform admins generate or list', async () => {
    const { admin, member } = await world();
    const before = await dump();
    const buckets = async () =>
      Number((await one<{ n: unknown }>('select count(*) as n from auth_throttles')).n);
    const bucketsBefore = await buckets();
    for (const code of [
      '',
      'hello',
      'TSRA-0000-0000-000',
      'TSRA-0000-0000-0000-000U',
      'x'.repeat(65),
    ]) {
      await expect(member.codes.redeem({ code })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    for (const input of [
      { count: 1 },
      { planKey: 'pro-monthly', credits: 10, count: 1 },
      { credits: 10, count: 0 },
      { credits: 10, count: 1001 },
      { credits: 1.5, count: 1 },
      { credits: 10, count: 1, days: 30 },
      { credits: 10, count: 1, expiresAt: new Date(api.clock.now.getTime() - 1) },
    ]) {
      await expect(admin.admin.codes.generate(input as never)).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
    }
    await expect(
      admin.admin.codes.generate({ planKey: 'no-such-plan', count: 1 }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(member.admin.codes.generate({ credits: 10, count: 1 })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(member.admin.codes.batches()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await dump()).toEqual(before);
    expect(await buckets()).toBe(bucketsBefore);
  });
});
