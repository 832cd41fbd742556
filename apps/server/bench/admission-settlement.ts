// Admission + settlement (the whole money path of one chat: quota counters, reservation, charge,
// ledger row, usage counters — in two synchronous transactions) against the simplest correct way to
// spend credits: one guarded debit statement. DB-side only, same file, same process.
//
// Both credit pots are in play (decision 015): the measured users have a small plan allowance and
// the rest of their balance purchased, so their chats spend the allowance, cross into purchased
// credits (a settlement writing two ledger rows), then spend purchased credits. A side measurement
// in the same run gives the figure for users with an allowance only (the one-pot case).
import { statSync } from 'node:fs';
import { admitRequest, createSqliteMoneyStore, settleRequest } from '@tessera/api';
import { createDb, type Db, migrateDb, type Sqlite } from '@tessera/db';
import { copyTestDatabase, removeDatabaseFiles } from '@tessera/db/testing';
import { insertUsers } from './credits-fixtures.ts';
import type { Benchmark } from './lib/benchmark.ts';
import { formatNumber, reportComparison } from './lib/benchmark.ts';
import { interleave, median, type Variant } from './lib/compare.ts';
import { benchDatabase } from './lib/fixtures.ts';

const USERS = 1000;
const ROUNDS = 8;
const OPS_PER_ROUND = 6000;
const TARGET_CHATS_PER_SECOND = 5000;
const BALANCE = 1_000_000_000;
/** Allowance per measured user: ≈ 30 chats of 70 credits, crossed during the warm-up rounds. */
const ALLOWANCE = 2000;

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

const userId = (i: number) => `u${String((i % USERS) + 1).padStart(7, '0')}`;
/** Users USERS+1…2·USERS: the same balance, all of it allowance (no purchased credits). */
const allowanceOnlyUserId = (i: number) => `u${String((i % USERS) + USERS + 1).padStart(7, '0')}`;

/** One chat's two transactions as the measured variant runs them (for the side measurements). */
function chatOn(db: Db, requestId: string, i: number, now: Date, who = userId) {
  const admission = admitRequest(db, {
    userId: who(i),
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
  return () =>
    settleRequest(db, {
      requestId,
      modelId: 'tessera-mini',
      inputTokens: 200,
      outputTokens: 300,
      now,
      timeZone: 'UTC',
    });
}

const DEBIT_SQL =
  'update credit_accounts set balance = balance - @amount where user_id = @user and balance - reserved >= @amount returning balance';

export const admissionSettlement: Benchmark = {
  id: 'admission',
  title: 'admission + settlement vs raw guarded debit',
  async run({ explain, log }) {
    const db = benchDatabase();
    try {
      insertUsers(db.sqlite, 2 * USERS, BALANCE);
      db.sqlite
        .prepare('update credit_accounts set purchased = ? where user_id <= ?')
        .run(BALANCE - ALLOWANCE, userId(USERS - 1));
      const debit = db.sqlite.prepare(DEBIT_SQL);
      let request = 0;
      const now = new Date();
      // The file's WAL is checkpointed by a background thread (docs/decisions/010). Each round
      // starts once that thread has copied everything, so no variant's round is slowed by the
      // checkpoints of the other's pages (not timed; a round's own checkpoints run beside it).
      // Process CPU (all threads) is counted from a round's start until its checkpoints are done:
      // a cross-check that includes the checkpoint thread's work.
      const drained = () => db.checkpoints?.drained() ?? Promise.resolve();
      const cpu = { raw: [] as number[], chat: [] as number[] };
      const timedRound = async (cpuSamples: number[], run: () => number) => {
        await drained();
        const before = process.cpuUsage();
        const rate = run();
        await drained();
        const used = process.cpuUsage(before);
        cpuSamples.push((used.user + used.system) / OPS_PER_ROUND);
        return rate;
      };

      const raw: Variant = {
        label: 'raw guarded debit',
        measure: () =>
          timedRound(cpu.raw, () =>
            perSecond(OPS_PER_ROUND, () => {
              for (let i = 0; i < OPS_PER_ROUND; i++) {
                // On the allowance-only users: a bare debit knows nothing of pots.
                const user = allowanceOnlyUserId(i);
                if (!debit.get({ amount: 70, user })) throw new Error('debit refused');
              }
            }),
          ),
      };
      const chat: Variant = {
        label: 'admission + settlement',
        measure: () =>
          timedRound(cpu.chat, () =>
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
          ),
      };
      log('  warming up…');
      await raw.measure();
      await chat.measure();
      const background = db.checkpoints?.stats();
      const comparison = await interleave({
        rounds: ROUNDS,
        baseline: raw,
        candidate: chat,
        onRound: (round, b, c) =>
          log(`  round ${round}: ${formatNumber(b)} vs ${formatNumber(c)} ops/s`),
      });
      const chatsPerSecond = comparison.candidate.median;
      const pots = await potsSideBySide(db.db, () => ++request, now, drained);
      const port = await portSideBySide(db.db, () => ++request, now, drained);
      const checkpointed = db.checkpoints?.stats();
      const extra = [
        `  absolute: ${formatNumber(chatsPerSecond)} chats/s DB-side (target ≥ ${formatNumber(TARGET_CHATS_PER_SECOND)})  ${chatsPerSecond >= TARGET_CHATS_PER_SECOND ? 'PASS' : 'MISS'}`,
        '  (a chat = admission transaction [reservation row, request counters, guarded hold] + settlement transaction [close reservation, charge, ledger row(s) by pot, usage counters])',
        `  through the money store (docs/decisions/028, what the chat engine calls): ${formatNumber(port.store)} chats/s · direct calls ${formatNumber(port.direct)} chats/s → ${(port.store / port.direct).toFixed(3)} (side by side, ${POT_ROUNDS} rounds each)`,
        `  both pots in play: ${formatNumber(pots.bothPots)} chats/s · allowance only (one pot, as before): ${formatNumber(pots.allowanceOnly)} chats/s → ${(pots.bothPots / pots.allowanceOnly).toFixed(3)} (side by side, ${POT_ROUNDS} rounds each)`,
      ];
      const rawCpu = median(cpu.raw.slice(-ROUNDS));
      const chatCpu = median(cpu.chat.slice(-ROUNDS));
      extra.push(
        `  process CPU per op (all threads, until its checkpoints are done): debit ${rawCpu.toFixed(1)} µs,` +
          ` chat ${chatCpu.toFixed(1)} µs → CPU-time ratio ${(rawCpu / chatCpu).toFixed(3)} (cross-check)`,
      );
      const pass = comparison.ratio >= 0.5;
      if (explain || !pass) {
        log('  measuring where the time goes…');
        await drained();
        extra.push(
          ...whereTheTimeGoes({
            rawMicros: 1e6 / comparison.baseline.median,
            chatMicros: 1e6 / chatsPerSecond,
            background:
              background && checkpointed
                ? {
                    runs: checkpointed.runs - background.runs,
                    frames: checkpointed.frames - background.frames,
                    ms: checkpointed.ms - background.ms,
                  }
                : null,
          }),
        );
      }
      return reportComparison(
        `(SQLite WAL file, ${USERS} users, ${ROUNDS} rounds × ${OPS_PER_ROUND} ops)`,
        comparison,
        { unit: 'ops/s', target: { atLeast: 0.5 }, extra },
      );
    } finally {
      db.destroy();
    }
  },
};

const POT_ROUNDS = 4;

/**
 * Chats/s of users with both pots (allowance spent, purchased credits paying) against users with an
 * allowance only, interleaved in one run: what the waterfall costs settlement.
 */
async function potsSideBySide(
  db: Db,
  nextRequest: () => number,
  now: Date,
  drained: () => Promise<unknown>,
) {
  const ops = OPS_PER_ROUND / 2;
  const round = (who: (i: number) => string) => async () => {
    await drained();
    return perSecond(ops, () => {
      for (let i = 0; i < ops; i++) chatOn(db, `pots-${nextRequest()}`, i, now, who)();
    });
  };
  const comparison = await interleave({
    rounds: POT_ROUNDS,
    baseline: { label: 'allowance only', measure: round(allowanceOnlyUserId) },
    candidate: { label: 'both pots', measure: round(userId) },
  });
  return { allowanceOnly: comparison.baseline.median, bothPots: comparison.candidate.median };
}

/**
 * Chats/s through the SQLite money store (each call awaited, as the chat engine does) against the
 * same synchronous functions called directly, interleaved: what the port costs the hot path.
 */
async function portSideBySide(
  db: Db,
  nextRequest: () => number,
  now: Date,
  drained: () => Promise<unknown>,
) {
  const ops = OPS_PER_ROUND / 2;
  const store = createSqliteMoneyStore(db);
  const chatInput = (requestId: string, i: number) => ({
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
  const usage = (requestId: string) => ({
    requestId,
    modelId: 'tessera-mini',
    inputTokens: 200,
    outputTokens: 300,
    now,
    timeZone: 'UTC',
  });
  const comparison = await interleave({
    rounds: POT_ROUNDS,
    baseline: {
      label: 'direct',
      measure: async () => {
        await drained();
        return perSecond(ops, () => {
          for (let i = 0; i < ops; i++) chatOn(db, `direct-${nextRequest()}`, i, now)();
        });
      },
    },
    candidate: {
      label: 'money store',
      measure: async () => {
        await drained();
        const started = performance.now();
        for (let i = 0; i < ops; i++) {
          const requestId = `port-${nextRequest()}`;
          const admission = await store.admit(chatInput(requestId, i));
          if (!admission.ok) throw new Error(`refused: ${admission.code}`);
          await store.settle(usage(requestId));
        }
        return ops / ((performance.now() - started) / 1000);
      },
    },
  });
  return { direct: comparison.baseline.median, store: comparison.candidate.median };
}

/** A database like the measured one (same fixtures), for the breakdown's side measurements. */
function sideDatabase(path: string | null) {
  const handle = path ? createDb(path, { backgroundCheckpoints: false }) : createDb(':memory:');
  if (!path) migrateDb(handle.db);
  insertUsers(handle.sqlite, USERS, 1_000_000_000);
  return handle;
}

/** µs per op of `run`, after a warm-up of the same size. */
function microsPerOp(ops: number, run: (i: number) => void): number {
  for (let i = 0; i < ops; i++) run(i);
  const started = performance.now();
  for (let i = 0; i < ops; i++) run(i);
  return ((performance.now() - started) * 1000) / ops;
}

/**
 * Where a chat's time goes, next to the debit's: "in-memory" (the same statements on an in-memory
 * database: SQL and JS CPU, no WAL, no disk), WAL frames written per transaction (a file copy with automatic
 * checkpoints off, counted from the WAL's growth), and what the background checkpoint thread did
 * during the measured rounds. Not judged: the verdict is the ratio above.
 */
function whereTheTimeGoes(measured: {
  rawMicros: number;
  chatMicros: number;
  background: { runs: number; frames: number; ms: number } | null;
}): string[] {
  const now = new Date();
  const OPS = 3000;
  const memory = sideDatabase(null);
  let cpu: { raw: number; admission: number; settlement: number };
  try {
    const debit = memory.sqlite.prepare(DEBIT_SQL);
    const settlements: (() => unknown)[] = [];
    let n = 0;
    cpu = {
      raw: microsPerOp(OPS, (i) => debit.get({ amount: 70, user: userId(i) })),
      admission: microsPerOp(OPS, (i) => settlements.push(chatOn(memory.db, `cpu-${++n}`, i, now))),
      settlement: microsPerOp(OPS, () => settlements.shift()!()),
    };
  } finally {
    memory.close();
  }

  const path = copyTestDatabase();
  const file = sideDatabase(path);
  let frames: { raw: number; admission: number; settlement: number };
  try {
    file.sqlite.pragma('wal_autocheckpoint = 0');
    const sqlite: Sqlite = file.sqlite;
    const debit = sqlite.prepare(DEBIT_SQL);
    const frameBytes = 24 + (sqlite.pragma('page_size', { simple: true }) as number);
    const walFrames = () => Math.max(0, statSync(`${path}-wal`).size - 32) / frameBytes;
    for (let i = 0; i < OPS; i++) chatOn(file.db, `warm-${i}`, i, now)();
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    frames = { raw: 0, admission: 0, settlement: 0 };
    for (let i = 0; i < OPS; i++) {
      let before = walFrames();
      const settle = chatOn(file.db, `frames-${i}`, i, now);
      frames.admission += walFrames() - before;
      before = walFrames();
      settle();
      frames.settlement += walFrames() - before;
      before = walFrames();
      debit.get({ amount: 70, user: userId(i) });
      frames.raw += walFrames() - before;
    }
    for (const key of ['raw', 'admission', 'settlement'] as const) frames[key] /= OPS;
  } finally {
    file.close();
    removeDatabaseFiles(path);
  }

  const chatCpu = cpu.admission + cpu.settlement;
  const chatFrames = frames.admission + frames.settlement;
  const µs = (value: number) => value.toFixed(1).padStart(6);
  const lines = [
    '  where the time goes (µs per op; "in-thread" is the measured median):',
    `    raw debit      in-thread ${µs(measured.rawMicros)}   in-memory ${µs(cpu.raw)}   WAL frames ${frames.raw.toFixed(2)} in 1 commit`,
    `    chat           in-thread ${µs(measured.chatMicros)}   in-memory ${µs(chatCpu)}   WAL frames ${chatFrames.toFixed(2)} in 2 commits`,
    `      admission                             in-memory ${µs(cpu.admission)}   WAL frames ${frames.admission.toFixed(2)}`,
    `      settlement                            in-memory ${µs(cpu.settlement)}   WAL frames ${frames.settlement.toFixed(2)}`,
    `    in-memory ratio ${(cpu.raw / chatCpu).toFixed(3)}; WAL-frame ratio ${(frames.raw / chatFrames).toFixed(3)}` +
      ` (a chat writes ${(chatFrames / frames.raw).toFixed(1)}× the pages of a debit, in twice the commits)`,
    `    beyond in-memory: debit ${µs(measured.rawMicros - cpu.raw)} µs for ${frames.raw.toFixed(2)} frame(s);` +
      ` chat ${µs(measured.chatMicros - chatCpu)} µs for ${chatFrames.toFixed(2)} frames` +
      ` (${((measured.chatMicros - chatCpu) / chatFrames).toFixed(1)} µs per frame)`,
  ];
  if (measured.background && measured.background.frames > 0) {
    const { runs, frames: copied, ms } = measured.background;
    const perFrame = (ms * 1000) / copied;
    const rawTotal = measured.rawMicros + frames.raw * perFrame;
    const chatTotal = measured.chatMicros + chatFrames * perFrame;
    lines.push(
      `    background checkpoint thread (both variants' WAL, off the measured thread): ${runs} checkpoints,` +
        ` ${formatNumber(copied)} frames copied in ${formatNumber(ms)} ms (${perFrame.toFixed(1)} µs per frame)`,
      `    counting that thread's time too: debit ${µs(rawTotal)} µs, chat ${µs(chatTotal)} µs` +
        ` → ${formatNumber(1e6 / chatTotal)} chats/s, ratio ${(rawTotal / chatTotal).toFixed(3)}`,
    );
  }
  return lines;
}
