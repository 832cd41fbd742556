// Redemption codes on PostgreSQL (decision 017): batches and their listing.
import {
  type PgDb,
  plans,
  redemptionBatches,
  redemptionCodes,
  tenants,
  users,
} from '@tessera/db/pg';
import { desc, eq, sql } from 'drizzle-orm';
import {
  CREDITS_GRANT,
  codeBatchRows,
  parseCodeBatch,
  planGrantOf,
} from '../../../domain/codes/generate-codes.ts';
import type { PaymentsStore } from '../../payments-store.ts';
import { withRetry } from '../retry.ts';
import { insertAudit } from './shared.ts';

type CodeMethods = Pick<PaymentsStore, 'generateCodes' | 'listCodeBatches'>;

export function createPgCodes(db: PgDb): CodeMethods {
  return {
    async generateCodes(input) {
      const batch = parseCodeBatch(input);
      return withRetry(() =>
        db.transaction(async (tx) => {
          let grant = CREDITS_GRANT;
          let planKey: string | null = null;
          if (batch.planKey !== undefined) {
            // The seller row is locked (shared) so a suspension cannot commit between the check
            // and the batch, as SQLite's write lock guaranteed.
            const [plan] = await tx
              .select({
                id: plans.id,
                key: plans.key,
                tenantId: plans.tenantId,
                markId: plans.markId,
                interval: plans.interval,
                durationDays: plans.durationDays,
                suspendedAt: tenants.suspendedAt,
              })
              .from(plans)
              .innerJoin(tenants, eq(tenants.id, plans.tenantId))
              .where(eq(plans.key, batch.planKey))
              .for('share', { of: tenants });
            grant = planGrantOf(
              batch,
              plan ? { ...plan, sellerSuspended: plan.suspendedAt !== null } : null,
            );
            planKey = plan!.key;
          }
          const rows = codeBatchRows(input, batch, grant, planKey);
          await tx.insert(redemptionBatches).values(rows.batch);
          await tx.insert(redemptionCodes).values(rows.codes);
          await insertAudit(tx, rows.audit);
          return rows.result;
        }),
      );
    },

    async listCodeBatches(options = {}) {
      return db
        .select({
          id: redemptionBatches.id,
          planKey: plans.key,
          days: redemptionBatches.days,
          credits: redemptionBatches.credits,
          count: redemptionBatches.count,
          redeemed:
            sql<number>`(select count(*) from ${redemptionCodes} where ${redemptionCodes.batchId} = ${redemptionBatches.id} and ${redemptionCodes.redeemedAt} is not null)`.mapWith(
              Number,
            ),
          note: redemptionBatches.note,
          expiresAt: redemptionBatches.expiresAt,
          createdByEmail: users.email,
          createdByLabel: redemptionBatches.createdByLabel,
          createdAt: redemptionBatches.createdAt,
        })
        .from(redemptionBatches)
        .leftJoin(plans, eq(plans.id, redemptionBatches.planId))
        .leftJoin(users, eq(users.id, redemptionBatches.createdBy))
        .orderBy(desc(redemptionBatches.createdAt), sql`${redemptionBatches.id} collate "C" desc`)
        .limit(options.limit ?? 200);
    },
  };
}
