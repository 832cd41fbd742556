// Admission + settlement (the whole money path of one chat: quota counters, reservation, charge,
// ledger row, usage counters — in two synchronous transactions) against the simplest correct way to
// spend credits: one guarded debit statement. DB-side only, same file, same process.
import { admitRequest, settleRequest } from '@tessera/api';
import { insertUsers } from './credits-fixtures.ts';
import type { Benchmark } from './lib/benchmark.ts';
import { formatNumber, reportComparison } from './lib/benchmark.ts';
import { interleave, type Variant } from './lib/compare.ts';
import { benchDatabase } from './lib/fixtures.ts';

const USERS = 1000;
const ROUNDS = 8;
const OPS_PER_ROUND = 6000;
const TARGET_CHATS_PER_SECOND = 5000;

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

function perSecond(ops: number, run: () => void): number {
  const started = performance.now();
  run();
  return ops / ((performance.now() - started) / 1000);
}

export const admissionSettlement: Benchmark = {
  id: 'admission',
  title: 'admission + settlement vs raw guarded debit',
  async run({ log }) {
    const db = benchDatabase();
    try {
      insertUsers(db.sqlite, USERS, 1_000_000_000);
      const userId = (i: number) => `u${String((i % USERS) + 1).padStart(7, '0')}`;
      const debit = db.sqlite.prepare(
        'update credit_accounts set balance = balance - @amount where user_id = @user and balance - reserved >= @amount returning balance',
      );
      let request = 0;
      const now = new Date();

      const raw: Variant = {
        label: 'raw guarded debit',
        measure: async () =>
          perSecond(OPS_PER_ROUND, () => {
            for (let i = 0; i < OPS_PER_ROUND; i++) {
              if (!debit.get({ amount: 70, user: userId(i) })) throw new Error('debit refused');
            }
          }),
      };
      const chat: Variant = {
        label: 'admission + settlement',
        measure: async () =>
          perSecond(OPS_PER_ROUND, () => {
            for (let i = 0; i < OPS_PER_ROUND; i++) {
              const requestId = `bench-${++request}`;
              const admission = admitRequest(db.db, {
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
              settleRequest(db.db, {
                requestId,
                modelId: 'tessera-mini',
                inputTokens: 200,
                outputTokens: 300,
                now,
                timeZone: 'UTC',
              });
            }
          }),
      };
      log('  warming up…');
      await raw.measure();
      await chat.measure();
      const comparison = await interleave({
        rounds: ROUNDS,
        baseline: raw,
        candidate: chat,
        onRound: (round, b, c) =>
          log(`  round ${round}: ${formatNumber(b)} vs ${formatNumber(c)} ops/s`),
      });
      const chatsPerSecond = comparison.candidate.median;
      return reportComparison(
        `(SQLite WAL file, ${USERS} users, ${ROUNDS} rounds × ${OPS_PER_ROUND} ops)`,
        comparison,
        {
          unit: 'ops/s',
          target: { atLeast: 0.5 },
          extra: [
            `  absolute: ${formatNumber(chatsPerSecond)} chats/s DB-side (target ≥ ${formatNumber(TARGET_CHATS_PER_SECOND)})  ${chatsPerSecond >= TARGET_CHATS_PER_SECOND ? 'PASS' : 'MISS'}`,
            '  (a chat = admission transaction [quota ×2, reservation row, guarded hold] + settlement transaction [close reservation, charge, ledger row, usage ×2])',
          ],
        },
      );
    } finally {
      db.destroy();
    }
  },
};
