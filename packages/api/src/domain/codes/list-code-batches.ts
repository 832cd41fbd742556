import type { DbOrTx } from '@tessera/db';
import { plans, redemptionBatches, redemptionCodes, users } from '@tessera/db';
import { desc, eq, sql } from 'drizzle-orm';

/** Every batch, newest first, with what it grants and how many of its codes are redeemed. */
export function listCodeBatches(db: DbOrTx, options: { limit?: number } = {}) {
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
    .orderBy(desc(redemptionBatches.createdAt), desc(redemptionBatches.id))
    .limit(options.limit ?? 200)
    .all();
}
