// Money fixtures and reads for API tests on either engine (decision 043): balances set through the
// money store, rows read with the shared SQL. node-postgres returns bigint columns as strings, so
// the reads here turn the columns they name back into numbers: one assertion fits both engines.
import { adjustCreditsThrough } from '../src/domain/credits/adjust-credits.ts';
import type { EngineTestApi } from './harness.ts';

/** Sets a user's balance, as an admin adjustment does (`mode: 'set'`, the allowance pot). */
export function setCredits(api: EngineTestApi, userId: string, amount: number, reason = 'test') {
  return adjustCreditsThrough((move) => api.stores.money.moveCredits(move), {
    userId,
    mode: 'set',
    amount,
    reason,
    actorUserId: null,
    now: api.clock.now,
  });
}

type Numbered<K extends string> = Record<string, unknown> & Record<K, number>;

/**
 * The rows of one shared-SQL statement, with the `numeric` columns as numbers (null stays null).
 * Column names are as written in the select list.
 */
export async function rowsWithNumbers<K extends string>(
  api: EngineTestApi,
  numeric: readonly K[],
  text: string,
  params: readonly unknown[] = [],
): Promise<Numbered<K>[]> {
  const rows = await api.sql(text, params);
  return rows.map((row) => {
    const converted: Record<string, unknown> = { ...row };
    for (const key of numeric) {
      const value = row[key];
      converted[key] = value === null || value === undefined ? value : Number(value);
    }
    return converted as Numbered<K>;
  });
}

/** A user's credit account: balance (all pots) and what open reservations hold. */
export async function creditAccount(api: EngineTestApi, userId: string) {
  const [row] = await rowsWithNumbers(
    api,
    ['balance', 'reserved'],
    'select balance, reserved from credit_accounts where user_id = $1',
    [userId],
  );
  return row ? { balance: row.balance, reserved: row.reserved } : undefined;
}

/** How many rows a table holds. */
export async function rowCount(api: EngineTestApi, table: string): Promise<number> {
  const [row] = await api.sql<{ n: unknown }>(`select count(*) as n from ${table}`);
  return Number(row?.n);
}
