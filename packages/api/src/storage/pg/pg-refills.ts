// Refills on PostgreSQL: on demand (one tessera_refill_user call per held on-demand mark whose
// period turned) and the scheduled batch run (one tessera_refill_batch statement per 500 holders).
// The ledger key `refill:<user>:<mark>:<period start>` is the only guard, as on SQLite: overlapping
// runs, on-demand refills and retries grant once per user per period.

import { refillKey } from '../../domain/credits/refill-sql.ts';
import type { HeldRefill } from '../../domain/credits/refill-user.ts';
import {
  batchRefillPolicy,
  REFILL_BATCH_SIZE,
  type RefillRunInput,
  type RefillRunResult,
} from '../../domain/credits/run-scheduled-refills.ts';
import type { RefillPolicy } from '../../domain/entitlements/entitlements.ts';
import { periodStart } from '../../domain/usage/periods.ts';
import type { OnDemandRefillInput } from '../money-store.ts';
import { num, type PgQueryable, statement } from './pg-query.ts';
import type { RetryOptions } from './retry.ts';

const WEEK_MS = 7 * 86_400_000;

/** The policy's numbers as tessera_refill_delta takes them. */
function policyArgs(policy: RefillPolicy) {
  return [
    policy.amount,
    policy.strategy,
    policy.cap ?? policy.amount,
    JSON.stringify(
      policy.grades.map((g) => ({ minRequests7d: g.minRequests7d, amount: g.amount })),
    ),
  ];
}

export function createPgRefills(pool: PgQueryable, retry: RetryOptions, workers: number) {
  const refillUser = statement<{ o_delta: string | null }>(
    pool,
    'tessera_refill_user',
    'select o_delta from tessera_refill_user($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
    retry,
  );
  const refillBatchOn = (connection: PgQueryable) =>
    statement<{
      o_last: string | null;
      o_scanned: number;
      o_refilled: number;
      o_granted: string;
    }>(
      connection,
      'tessera_refill_batch',
      'select * from tessera_refill_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)',
      retry,
    );

  /**
   * A connection of its own for one worker of a scheduled refill, with `synchronous_commit = off`:
   * a batch's commit does not wait for the WAL flush. Sound for this job only: a crash can lose the
   * last batches' commits (each whole, never part of one, and nothing committed after them), and
   * their keys being absent, the next run grants them. Chats and moves keep synchronous commits.
   */
  async function onRefillConnection<T>(run: (connection: PgQueryable) => Promise<T>) {
    if (!pool.connect) return run(pool);
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query({ text: 'set synchronous_commit = off' });
      return await run(client);
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      if (!broken) await client.query({ text: 'reset synchronous_commit' });
      // A connection that failed mid-run is closed rather than handed back with the option set.
      client.release(broken ?? false);
    }
  }
  // Which (user, mark) this store refilled for which period: a hint that saves the call on every
  // request. The ledger key remains the only guard; a stale hint costs one no-op call.
  const refilledHint = new Map<string, number>();

  async function refillUserOnDemand(input: OnDemandRefillInput): Promise<number> {
    let added = 0;
    for (const { markId, markKey, policy } of input.refills as readonly HeldRefill[]) {
      if (policy.mode !== 'on_demand') continue;
      const period = periodStart(input.now, policy.every.unit, input.timeZone, policy.every.value);
      const hintKey = `${input.userId}:${markId}`;
      if (refilledHint.get(hintKey) === period.getTime()) continue;
      const now = input.now.getTime();
      const [row] = await refillUser([
        input.userId,
        markKey,
        refillKey(input.userId, markId, period),
        ...policyArgs(policy),
        now - WEEK_MS,
        now,
        JSON.stringify({
          markKey,
          period: period.toISOString(),
          strategy: policy.strategy,
          mode: 'on_demand',
        }),
      ]);
      refilledHint.set(hintKey, period.getTime());
      added += num(row?.o_delta);
    }
    return added;
  }

  /** One worker's range of holders, (after, upto], in batches, each its own transaction. */
  async function refillRange(
    args: { mark: { id: string; key: string }; policy: RefillPolicy; period: number; now: number },
    range: { after: string; upto: string | null },
    batchSize: number,
    connection: PgQueryable,
  ) {
    const refillBatch = refillBatchOn(connection);
    const totals = { usersScanned: 0, usersRefilled: 0, creditsGranted: 0 };
    let after = range.after;
    for (;;) {
      const [row] = await refillBatch([
        args.mark.id,
        args.mark.key,
        args.period,
        after,
        range.upto,
        batchSize,
        ...policyArgs(args.policy),
        args.now - WEEK_MS,
        args.now,
      ]);
      if (!row || row.o_last === null) break;
      after = row.o_last;
      totals.usersScanned += row.o_scanned;
      totals.usersRefilled += row.o_refilled;
      totals.creditsGranted += num(row.o_granted);
      if (row.o_scanned < batchSize) break;
    }
    return totals;
  }

  /**
   * Every holder of the mark, split into `workers` disjoint ranges of user ids (cut at the
   * holders' quantiles), each worked through on its own connection: PostgreSQL runs them in
   * parallel, and disjoint users never wait on each other's locks.
   */
  async function refillMarkHolders(
    input: RefillRunInput,
    mark: { id: string; key: string },
    policy: RefillPolicy,
  ) {
    const now = input.now.getTime();
    const period = periodStart(input.now, policy.every.unit, input.timeZone, policy.every.value);
    const batchSize = input.batchSize ?? REFILL_BATCH_SIZE;
    let cuts: string[] = [];
    if (workers > 1) {
      const fractions = Array.from({ length: workers - 1 }, (_, i) => (i + 1) / workers);
      const { rows } = await pool.query<{ cuts: string[] | null }>({
        text: `select percentile_disc($3::float8[]) within group (order by user_id) as cuts
               from memberships where mark_id = $1 and (expires_at is null or expires_at > $2)`,
        values: [mark.id, now, fractions],
      });
      cuts = [...new Set(rows[0]?.cuts ?? [])];
    }
    const bounds = ['', ...cuts];
    const parts = await Promise.all(
      bounds.map((after, i) =>
        onRefillConnection((connection) =>
          refillRange(
            { mark, policy, period: period.getTime(), now },
            { after, upto: bounds[i + 1] ?? null },
            batchSize,
            connection,
          ),
        ),
      ),
    );
    return parts.reduce((sum, part) => ({
      usersScanned: sum.usersScanned + part.usersScanned,
      usersRefilled: sum.usersRefilled + part.usersRefilled,
      creditsGranted: sum.creditsGranted + part.creditsGranted,
    }));
  }

  async function runScheduledRefills(input: RefillRunInput): Promise<RefillRunResult> {
    const [run] = (
      await pool.query<{ id: string }>({
        text: 'insert into refill_runs (trigger, actor_user_id, started_at) values ($1, $2, $3) returning id',
        values: [input.trigger, input.actorUserId ?? null, input.now.getTime()],
      })
    ).rows;
    const runId = num(run?.id);
    const totals = { usersScanned: 0, usersRefilled: 0, creditsGranted: 0 };
    let error: string | null = null;
    try {
      const { rows: marks } = await pool.query<{
        id: string;
        key: string;
        entitlements: unknown;
        tenant_kind: string;
        ceiling: unknown;
      }>({
        // A suspended vendor's marks grant nothing, refills included.
        text: `select m.id, m.key, m.entitlements, t.kind as tenant_kind, t.ceiling
               from marks m join tenants t on t.id = m.tenant_id where t.suspended_at is null`,
      });
      for (const mark of marks) {
        const policy = batchRefillPolicy(
          { entitlements: mark.entitlements, tenantKind: mark.tenant_kind, ceiling: mark.ceiling },
          input,
        );
        if (!policy) continue;
        const result = await refillMarkHolders(input, mark, policy);
        totals.usersScanned += result.usersScanned;
        totals.usersRefilled += result.usersRefilled;
        totals.creditsGranted += result.creditsGranted;
      }
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
    const finishedAt = Date.now();
    // The run's totals and its audit event in one statement (one transaction).
    await pool.query({
      text: `with finished as (
               update refill_runs set users_scanned = $2, users_refilled = $3, credits_granted = $4,
                 error = $5, finished_at = $6 where id = $1)
             insert into audit_events (tenant_id, actor_user_id, actor_label, action, subject_type, subject_id, data, ip, created_at)
             values (null, $7, $8, 'credits.refill_run', 'refill_run', $1::text, $9, null, $6)`,
      values: [
        runId,
        totals.usersScanned,
        totals.usersRefilled,
        totals.creditsGranted,
        error,
        finishedAt,
        input.actorUserId ?? null,
        input.actorLabel ?? null,
        JSON.stringify({ trigger: input.trigger, ...totals, error }),
      ],
    });
    return { runId, ...totals, error };
  }

  return { refillUserOnDemand, runScheduledRefills };
}
