// The scheduled refill of 1,000,000 users on PostgreSQL, in batches of 500 (one
// tessera_refill_batch statement each: holders, accounts locked in user order, ledger rows,
// balances), against its budget (≤ 30 s), with a repeat run (all no-ops) and, for scale, one
// unguarded bulk UPDATE of every balance (no ledger, no keys, no batches).
import { createPgMoneyStore } from '@tessera/api';
import type { Benchmark } from './lib/benchmark.ts';
import { formatNumber } from './lib/benchmark.ts';
import { benchPgDatabase, insertPgUsers } from './pg-fixtures.ts';

const USERS = 1_000_000;
const BUDGET_SECONDS = 30;

export const refillMillionPg: Benchmark = {
  id: 'refill-million-pg',
  title: 'scheduled refill of 1,000,000 users on PostgreSQL',
  async run({ log }) {
    const postgres = await benchPgDatabase('bench_refill_pg', 2);
    try {
      log('  creating 1,000,000 users with accounts and a scheduled-refill mark…');
      const setupStarted = performance.now();
      await insertPgUsers(postgres.pool, USERS, 0, { markId: 'free' });
      const policy = {
        amount: 500,
        every: { value: 1, unit: 'month' },
        strategy: 'topup',
        cap: 1000,
        mode: 'scheduled',
        grades: [],
      };
      await postgres.pool.query(
        `update marks set entitlements = jsonb_set(entitlements, '{refill}', $1::jsonb) where key = 'free'`,
        [JSON.stringify(policy)],
      );
      await postgres.pool.query('vacuum analyze credit_accounts');
      log(`  set up in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);

      const store = createPgMoneyStore(postgres.pool);
      const started = performance.now();
      const result = await store.runScheduledRefills({
        trigger: 'cli',
        now: new Date(),
        timeZone: 'UTC',
      });
      const seconds = (performance.now() - started) / 1000;
      if (result.error) throw new Error(result.error);
      if (result.usersRefilled !== USERS)
        throw new Error(`refilled ${result.usersRefilled} of ${USERS}`);

      const again = performance.now();
      const repeat = await store.runScheduledRefills({
        trigger: 'cli',
        now: new Date(),
        timeZone: 'UTC',
      });
      const repeatSeconds = (performance.now() - again) / 1000;
      if (repeat.usersRefilled !== 0) throw new Error('a repeated run granted again');

      const rawStarted = performance.now();
      await postgres.pool.query('update credit_accounts set balance = balance + 0');
      const rawSeconds = (performance.now() - rawStarted) / 1000;

      const ratio = seconds / BUDGET_SECONDS;
      const pass = seconds <= BUDGET_SECONDS;
      return {
        heading: `(${formatNumber(USERS)} users, batches of 500, PostgreSQL)`,
        lines: [
          `  refill run           ${seconds.toFixed(2)} s   (${formatNumber(result.creditsGranted)} credits, ${formatNumber(USERS / seconds)} users/s)`,
          `  repeat (all no-ops)  ${repeatSeconds.toFixed(2)} s   (idempotency keys: nothing granted twice)`,
          `  raw bulk UPDATE      ${rawSeconds.toFixed(2)} s   (no ledger, no keys: the floor)  → ${(seconds / rawSeconds).toFixed(1)}× the floor`,
          `  ratio to budget ${ratio.toFixed(3)} (target ≤ 1.0, i.e. ≤ ${BUDGET_SECONDS} s)  ${pass ? 'PASS' : 'MISS'}`,
        ],
        ratio,
        target: { atMost: 1 },
        pass,
      };
    } finally {
      await postgres.destroy();
    }
  },
};
