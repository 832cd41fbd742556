// The scheduled refill: every holder of a mark with a `scheduled` policy gets the period's grant,
// in batches of 500 users per transaction. Two set-based statements per batch (ledger rows, then
// the balances by the deltas those rows returned); the ledger's unique key makes overlapping runs,
// on-demand refills and retries grant once per user per period.
import type { Db } from '@tessera/db';
import { marks, refillRuns, tenants } from '@tessera/db';
import { eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { parseStoredEntitlements, type RefillPolicy } from '../entitlements/entitlements.ts';
import { clampToCeiling, parseStoredCeiling } from '../tenancy/ceiling.ts';
import { periodStart } from '../usage/periods.ts';
import { nextLedgerIdSql } from './ledger-sql.ts';
import { gradedAmountSql, refillDeltaSql, requests7dSql } from './refill-sql.ts';

export const REFILL_BATCH_SIZE = 500;

export interface RefillRunInput {
  trigger: 'scheduled' | 'admin' | 'cli';
  actorUserId?: string | null;
  /** Who acted when no signed-in user did, or through which tool (`cli:<os user>`); for the audit log. */
  actorLabel?: string | null;
  now: Date;
  timeZone: string;
  /** Also refill holders of `on_demand` marks now (an admin's explicit "refill everyone"). */
  includeOnDemand?: boolean;
  batchSize?: number;
}

export interface RefillRunResult {
  runId: number;
  usersScanned: number;
  usersRefilled: number;
  creditsGranted: number;
  error: string | null;
}

export function runScheduledRefills(db: Db, input: RefillRunInput): RefillRunResult {
  const run = db
    .insert(refillRuns)
    .values({
      trigger: input.trigger,
      actorUserId: input.actorUserId ?? null,
      startedAt: input.now,
    })
    .returning({ id: refillRuns.id })
    .get();
  const totals = { usersScanned: 0, usersRefilled: 0, creditsGranted: 0 };
  let error: string | null = null;
  try {
    for (const mark of db
      .select({
        id: marks.id,
        key: marks.key,
        entitlements: marks.entitlements,
        tenantKind: tenants.kind,
        ceiling: tenants.ceiling,
      })
      .from(marks)
      .innerJoin(tenants, eq(tenants.id, marks.tenantId))
      // A suspended vendor's marks grant nothing, refills included.
      .where(isNull(tenants.suspendedAt))
      .all()) {
      const policy = batchRefillPolicy(mark, input);
      if (!policy) continue;
      const result = refillMarkHolders(db, {
        markId: mark.id,
        markKey: mark.key,
        policy,
        ...input,
      });
      totals.usersScanned += result.usersScanned;
      totals.usersRefilled += result.usersRefilled;
      totals.creditsGranted += result.creditsGranted;
    }
  } catch (cause) {
    error = cause instanceof Error ? cause.message : String(cause);
  }
  const finishedAt = new Date();
  db.transaction((tx) => {
    tx.update(refillRuns)
      .set({ ...totals, error, finishedAt })
      .where(eq(refillRuns.id, run.id))
      .run();
    recordAudit(tx, {
      tenantId: null,
      actorUserId: input.actorUserId ?? null,
      actorLabel: input.actorLabel ?? null,
      action: 'credits.refill_run',
      subjectType: 'refill_run',
      subjectId: String(run.id),
      data: { trigger: input.trigger, ...totals, error },
      ip: null,
      createdAt: finishedAt,
    });
  });
  return { runId: run.id, ...totals, error };
}

/**
 * The policy a batch run refills a mark's holders by, or null: none, or on demand only (unless the
 * run includes those). A vendor's refill is clamped to what the platform delegated, as in the
 * member context; a suspended vendor's marks are left out by the caller's query.
 */
export function batchRefillPolicy(
  mark: { entitlements: unknown; tenantKind: string; ceiling: unknown },
  input: Pick<RefillRunInput, 'includeOnDemand'>,
): RefillPolicy | null {
  const stored = parseStoredEntitlements(mark.entitlements);
  const policy = (
    mark.tenantKind === 'vendor' ? clampToCeiling(stored, parseStoredCeiling(mark.ceiling)) : stored
  ).refill;
  if (!policy || (policy.mode !== 'scheduled' && !input.includeOnDemand)) return null;
  return policy;
}

function refillMarkHolders(
  db: Db,
  input: RefillRunInput & { markId: string; markKey: string; policy: RefillPolicy },
) {
  const sqlite = db.$client;
  const now = input.now.getTime();
  const period = periodStart(
    input.now,
    input.policy.every.unit,
    input.timeZone,
    input.policy.every.value,
  ).getTime();
  const amount = gradedAmountSql(input.policy, requests7dSql('a.user_id', now - 7 * 86_400_000));
  const delta = refillDeltaSql(input.policy, amount);
  const key = `'refill:' || a.user_id || ':' || @mark || ':' || cast(@period as integer)`;

  const holders = sqlite.prepare<
    [{ mark: string; now: number; after: string; limit: number }],
    { user_id: string }
  >(
    `select user_id from memberships where mark_id = @mark and (expires_at is null or expires_at > @now) and user_id > @after
     order by user_id limit @limit`,
  );
  const grant = sqlite.prepare<
    [{ mark: string; period: number; markKey: string; now: number; ids: string }],
    { user_id: string; delta: number }
  >(
    `insert into credit_ledger (user_id, id, delta, balance_after, kind, idempotency_key, reference, created_at)
     select a.user_id, ${nextLedgerIdSql('a.user_id')}, ${delta}, balance + ${delta}, 'refill', ${key}, @markKey, @now
     from credit_accounts a where a.user_id in (select value from json_each(@ids))
     on conflict(idempotency_key) do nothing
     returning user_id, delta`,
  );
  // The balances move by the deltas the insert just returned (same transaction, write lock held).
  const credit = sqlite.prepare<[{ now: number; granted: string }]>(
    `update credit_accounts set balance = balance + (g.value ->> '$[1]'), updated_at = @now
     from json_each(@granted) g
     where credit_accounts.user_id = g.value ->> '$[0]'`,
  );

  const totals = { usersScanned: 0, usersRefilled: 0, creditsGranted: 0 };
  const batchSize = input.batchSize ?? REFILL_BATCH_SIZE;
  let after = '';
  for (;;) {
    const ids = holders
      .all({ mark: input.markId, now, after, limit: batchSize })
      .map((r) => r.user_id);
    if (ids.length === 0) break;
    after = ids.at(-1)!;
    const granted = sqlite.transaction(() => {
      const rows = grant.all({
        mark: input.markId,
        period,
        markKey: input.markKey,
        now,
        ids: JSON.stringify(ids),
      });
      if (rows.length > 0)
        credit.run({ now, granted: JSON.stringify(rows.map((r) => [r.user_id, r.delta])) });
      return rows;
    })();
    totals.usersScanned += ids.length;
    totals.usersRefilled += granted.filter((r) => r.delta !== 0).length;
    totals.creditsGranted += granted.reduce((sum, r) => sum + r.delta, 0);
    if (ids.length < batchSize) break;
  }
  return totals;
}
