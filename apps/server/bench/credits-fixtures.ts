// Bulk fixtures for the credit benchmarks: many users with accounts (and optionally a mark), made
// with set-based SQL so that a million rows take seconds, not the hours argon2 sign-ups would.
import type { Sqlite } from '@tessera/db';

/** Inserts `count` users `u0000001…` with a credit account holding `balance`. */
/** `count` users with `balance` credits each, `purchased` of them purchased (decision 015). */
export function insertUsers(sqlite: Sqlite, count: number, balance: number, purchased = 0): void {
  const now = Date.now();
  sqlite.transaction(() => {
    sqlite
      .prepare(
        `with recursive n(i) as (select 1 union all select i + 1 from n where i < @count)
         insert into users (id, email, password_hash, created_at)
         select printf('u%07d', i), printf('u%07d@bench.example', i), 'bench', @now from n`,
      )
      .run({ count, now });
    sqlite
      .prepare(
        'insert into credit_accounts (user_id, balance, reserved, purchased, updated_at) select id, @balance, 0, @purchased, @now from users',
      )
      .run({ balance, purchased, now });
  })();
}

/** Gives every user the mark `markId` with no end. */
export function grantToAll(sqlite: Sqlite, markId: string): void {
  sqlite
    .prepare(
      `insert into memberships (id, user_id, mark_id, starts_at, expires_at, status, source, created_at, updated_at)
       select 'm-' || id, id, @markId, 0, null, 'active', 'admin', 0, 0 from users`,
    )
    .run({ markId });
}
