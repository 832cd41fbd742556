// A chat's money path (admission, then settlement) on PostgreSQL against the same work on SQLite,
// both through the money store port, interleaved rounds in one run. PostgreSQL runs each
// transaction as one SQL function call (one round trip) over a pool of 10 with 16 chats in flight;
// SQLite runs today's synchronous transactions (in flight or not, one at a time).
// The PostgreSQL server shares this machine's cores with the benchmark, as it would on one box.
import { createPgMoneyStore, createSqliteMoneyStore, type MoneyStore } from '@tessera/api';
import { insertUsers } from './credits-fixtures.ts';
import type { Benchmark } from './lib/benchmark.ts';
import { formatNumber, reportComparison } from './lib/benchmark.ts';
import { interleave, type Variant } from './lib/compare.ts';
import { benchDatabase } from './lib/fixtures.ts';
import { benchPgDatabase, benchPool, insertPgUsers } from './pg-fixtures.ts';

const USERS = 1000;
const ROUNDS = 6;
const CHATS_PER_ROUND = 3000;
const IN_FLIGHT = 16;
const SIDE_ROUNDS = 2;
const BALANCE = 1_000_000_000;
/** PostgreSQL chats/s ÷ SQLite chats/s: see bench/README.md for why this target. */
const TARGET = 0.15;

const entitlements = {
  models: ['tessera-mini'],
  plugins: [],
  requestsPerDay: 1_000_000_000,
  requestsPerMonth: 1_000_000_000,
  requestsPerMinute: null,
  maxOutputTokens: 1024,
  apiAccess: false,
  seats: 0,
  refill: null,
  fallbackModel: null,
};

const userId = (i: number) => `u${String((i % USERS) + 1).padStart(7, '0')}`;

/** `count` chats over `store` by `inFlight` workers, each admitting then settling; chats/s. */
async function chats(store: MoneyStore, prefix: string, count: number, inFlight: number) {
  let next = 0;
  const now = new Date();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const requestId = `${prefix}-${i}`;
      const admission = await store.admit({
        userId: userId(i),
        requestId,
        modelId: 'tessera-mini',
        entitlements,
        refills: [],
        inputTokens: 200,
        requestedOutputTokens: 400,
        now,
        timeZone: 'UTC',
      });
      if (!admission.ok) throw new Error(`refused: ${admission.code}`);
      const settled = await store.settle({
        requestId,
        modelId: 'tessera-mini',
        inputTokens: 200,
        outputTokens: 300,
        now,
        timeZone: 'UTC',
      });
      if (!settled.settled) throw new Error(`not settled: ${settled.reason}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return count / ((performance.now() - started) / 1000);
}

export const pgAdmission: Benchmark = {
  id: 'pg-admission',
  title: 'admission + settlement on PostgreSQL vs SQLite',
  async run({ log }) {
    const sqlite = benchDatabase();
    const postgres = await benchPgDatabase('bench_pg_admission');
    try {
      insertUsers(sqlite.sqlite, USERS, BALANCE);
      await insertPgUsers(postgres.pool, USERS, BALANCE);
      const sqliteStore = createSqliteMoneyStore(sqlite.db);
      const pgStore = createPgMoneyStore(postgres.pool);
      const drained = () => sqlite.checkpoints?.drained() ?? Promise.resolve();
      let round = 0;
      const onSqlite: Variant = {
        label: 'SQLite (sync transactions)',
        measure: async () => {
          await drained();
          return chats(sqliteStore, `s${++round}`, CHATS_PER_ROUND, IN_FLIGHT);
        },
      };
      const onPg: Variant = {
        label: `PostgreSQL (pool 10, ${IN_FLIGHT} in flight)`,
        measure: () => chats(pgStore, `p${++round}`, CHATS_PER_ROUND, IN_FLIGHT),
      };
      log('  warming up…');
      await onSqlite.measure();
      await onPg.measure();
      const comparison = await interleave({
        rounds: ROUNDS,
        baseline: onSqlite,
        candidate: onPg,
        onRound: (n, s, p) =>
          log(`  round ${n}: SQLite ${formatNumber(s)} vs PostgreSQL ${formatNumber(p)} chats/s`),
      });
      // Durability like SQLite's `synchronous = NORMAL` (a commit is not flushed to disk before it
      // returns; a power cut may lose the last ones, nothing is corrupted): how much of the gap
      // is the WAL flush at each of PostgreSQL's commits. Side measurement, not the verdict.
      const relaxedPool = benchPool(postgres.db.url, 10, '-c synchronous_commit=off');
      let relaxed: Awaited<ReturnType<typeof interleave>>;
      try {
        const relaxedStore = createPgMoneyStore(relaxedPool);
        relaxed = await interleave({
          rounds: SIDE_ROUNDS,
          baseline: onPg,
          candidate: {
            label: 'synchronous_commit=off',
            measure: () => chats(relaxedStore, `r${++round}`, CHATS_PER_ROUND, IN_FLIGHT),
          },
        });
      } finally {
        await relaxedPool.end();
      }
      const report = await pgStore.checkInvariants();
      if (!report.ok)
        throw new Error(`PostgreSQL invariants: ${JSON.stringify(report.problems[0])}`);
      return reportComparison(
        `(${USERS} users, ${ROUNDS} rounds × ${CHATS_PER_ROUND} chats, one round trip per transaction)`,
        comparison,
        {
          unit: 'chats/s',
          target: { atLeast: TARGET },
          extra: [
            `  side by side, ${SIDE_ROUNDS} rounds: PostgreSQL ${formatNumber(relaxed.baseline.median)} chats/s, with synchronous_commit=off ${formatNumber(relaxed.candidate.median)} chats/s (×${relaxed.ratio.toFixed(2)}; SQLite's synchronous=NORMAL is the same kind of durability)`,
            `  PostgreSQL: ${formatNumber(comparison.candidate.median)} chats/s = ${formatNumber(2 * comparison.candidate.median)} money transactions/s; credits:check clean after ${formatNumber(report.ledgerRows)} ledger rows`,
          ],
        },
      );
    } finally {
      sqlite.destroy();
      await postgres.destroy();
    }
  },
};
