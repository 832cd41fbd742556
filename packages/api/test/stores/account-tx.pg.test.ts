// The account area's PostgreSQL pieces that run inside another store's transaction (sign-up
// creating an account): consuming an invite and issuing a verification link.
import { createTestPgDatabase, type TestPgDatabase } from '@tessera/db/testing-pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { pgConsumeInvite, pgIssueEmailVerification } from '../../src/storage/pg/account/signup.ts';
import { createPgStores } from '../../src/storage/pg/pg-stores.ts';
import type { Stores } from '../../src/storage/stores.ts';

const NOW = new Date('2026-03-02T10:00:00Z');
let database: TestPgDatabase;
let stores: Stores;

beforeEach(async () => {
  database = await createTestPgDatabase('account_tx');
  stores = createPgStores(database);
  await database.pool.query(
    `insert into users (id, email, password_hash, created_at) values
     ('u1', 'ada@example.test', 'x', $1), ('u2', 'cy@example.test', 'x', $1)`,
    [NOW.getTime()],
  );
});
afterEach(() => database.drop());

it('an invite opens one account: of two transactions using it at once, one commits', async () => {
  const invite = await stores.account.createInvite({
    email: 'bo@example.test',
    baseUrl: 'https://t.example',
    actorUserId: null,
    now: NOW,
  });
  const token = decodeURIComponent(invite.link.split('invite=')[1]!);
  const outcomes = await Promise.allSettled(
    ['u1', 'u2'].map((userId) =>
      database.db.transaction((tx) =>
        pgConsumeInvite(tx, { token, email: 'BO@example.test', userId, now: NOW }),
      ),
    ),
  );
  const won = outcomes.filter((o) => o.status === 'fulfilled');
  expect(won).toHaveLength(1);
  expect((won[0] as PromiseFulfilledResult<{ matchesEmail: boolean }>).value).toEqual({
    matchesEmail: true,
  });
  expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({
    reason: { code: 'INVITE_INVALID' },
  });
  const { rows } = await database.pool.query('select used_by from signup_invites');
  expect(rows).toHaveLength(1);
});

it('issues a verification link and its mail in the caller transaction, or neither', async () => {
  const user = { id: 'u1', email: 'ada@example.test', locale: null };
  await expect(
    database.db.transaction(async (tx) => {
      await pgIssueEmailVerification(tx, { user, baseUrl: 'https://t.example', now: NOW });
      throw new Error('the account was not created after all');
    }),
  ).rejects.toThrow('not created');
  const count = async (table: string) =>
    Number((await database.pool.query(`select count(*) as n from ${table}`)).rows[0].n);
  expect(await count('email_verification_tokens')).toBe(0);
  expect(await count('mail_outbox')).toBe(0);

  const issued = await database.db.transaction((tx) =>
    pgIssueEmailVerification(tx, { user, baseUrl: 'https://t.example', now: NOW }),
  );
  expect(await count('mail_outbox')).toBe(1);
  const token = decodeURIComponent(issued.link.split('token=')[1]!);
  expect(await stores.account.verifyEmail({ token, ip: null, now: NOW })).toEqual({
    email: 'ada@example.test',
  });
});
