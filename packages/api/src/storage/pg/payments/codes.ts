// Redemption codes on PostgreSQL (decision 017): batches, their listing, and redemption.
import {
  marks,
  memberships,
  type PgDb,
  type PgTx,
  plans,
  redemptionBatches,
  redemptionCodes,
  tenants,
  users,
} from '@tessera/db/pg';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { emailNotVerified } from '../../../auth/email-verification.ts';
import {
  CREDITS_GRANT,
  codeBatchRows,
  parseCodeBatch,
  planGrantOf,
} from '../../../domain/codes/generate-codes.ts';
import {
  type CodeGrant,
  grantOf,
  prepareRedemption,
  type RedeemCodeResult,
  redemptionAudit,
  refuseUnclaimed,
  sellerNotSelling,
  tooManyAttempts,
} from '../../../domain/codes/redeem-code.ts';
import type { PaymentsStore } from '../../payments-store.ts';
import { withRetry } from '../retry.ts';
import {
  grantMarkPg,
  grantPurchasedCreditsPg,
  lockCreditAccount,
  returnTokenPg,
  takeTokenPg,
} from './grants.ts';
import { insertAudit } from './shared.ts';

type CodeMethods = Pick<PaymentsStore, 'generateCodes' | 'listCodeBatches' | 'redeemCode'>;

/** What a batch grants, with the member's current end of the mark for plan codes. */
async function describeGrant(tx: PgTx, batchId: string, userId: string): Promise<CodeGrant> {
  const [row] = await tx
    .select({
      credits: redemptionBatches.credits,
      days: redemptionBatches.days,
      markId: redemptionBatches.markId,
      planKey: plans.key,
      markKey: marks.key,
    })
    .from(redemptionBatches)
    .leftJoin(plans, eq(plans.id, redemptionBatches.planId))
    .leftJoin(marks, eq(marks.id, redemptionBatches.markId))
    .where(eq(redemptionBatches.id, batchId));
  if (!row!.markId) return grantOf(row!, null);
  const [held] = await tx
    .select({ expiresAt: memberships.expiresAt })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.markId, row!.markId)));
  return grantOf(row!, held?.expiresAt ?? null);
}

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

    async redeemCode(input) {
      const { codeHash, buckets } = prepareRedemption(input);
      if (buckets.length > 0) {
        // Its own transaction: a failed guess keeps its cost when the redemption throws.
        await withRetry(() =>
          db.transaction(async (tx) => {
            for (const [key, policy] of buckets) {
              const taken = await takeTokenPg(tx, key, policy, input.now);
              if (!taken.ok) tooManyAttempts(taken.retryAfterSeconds);
            }
          }),
        );
      }
      const nowMs = input.now.getTime();
      return withRetry(() =>
        db.transaction(async (tx): Promise<RedeemCodeResult> => {
          // A credits code moves the member's credits: their account is locked first (028).
          await lockCreditAccount(tx, input.userId);
          // The claim is one guarded statement: of two members racing for a code, the second
          // waits on the row, re-reads `redeemed_at is null` as false and claims nothing.
          const [claimed] = await tx
            .update(redemptionCodes)
            .set({ redeemedBy: input.userId, redeemedAt: input.now })
            .where(
              and(
                eq(redemptionCodes.codeHash, codeHash),
                isNull(redemptionCodes.redeemedAt),
                sql`exists (select 1 from ${redemptionBatches} where ${redemptionBatches.id} = ${redemptionCodes.batchId} and (${redemptionBatches.expiresAt} is null or ${redemptionBatches.expiresAt} > ${nowMs}::bigint))`,
              ),
            )
            .returning({
              id: redemptionCodes.id,
              batchId: redemptionCodes.batchId,
              hint: redemptionCodes.hint,
            });
          if (!claimed) {
            const [existing] = await tx
              .select({
                batchId: redemptionCodes.batchId,
                redeemedBy: redemptionCodes.redeemedBy,
                redeemedAt: redemptionCodes.redeemedAt,
              })
              .from(redemptionCodes)
              .where(eq(redemptionCodes.codeHash, codeHash));
            const redeemedAt = refuseUnclaimed(existing, input.userId);
            for (const [key, policy] of buckets) await returnTokenPg(tx, key, policy, input.now);
            return {
              alreadyRedeemed: true,
              grant: await describeGrant(tx, existing!.batchId, input.userId),
              redeemedAt,
            };
          }

          const [batch] = await tx
            .select({
              id: redemptionBatches.id,
              tenantId: redemptionBatches.tenantId,
              markId: redemptionBatches.markId,
              days: redemptionBatches.days,
              credits: redemptionBatches.credits,
              verifiedAt: users.emailVerifiedAt,
              suspendedAt: tenants.suspendedAt,
            })
            .from(redemptionBatches)
            .innerJoin(tenants, eq(tenants.id, redemptionBatches.tenantId))
            .leftJoin(users, eq(users.id, input.userId))
            .where(eq(redemptionBatches.id, claimed.batchId))
            .for('share', { of: tenants });
          const reason = `code …${claimed.hint}`;
          if (batch!.markId !== null && batch!.days !== null) {
            // Throwing rolls the claim back: the code stays usable once the address is verified,
            // or once a suspended seller is reinstated.
            if (input.requireVerifiedEmail && batch!.verifiedAt == null) throw emailNotVerified();
            if (batch!.suspendedAt !== null) sellerNotSelling();
            await grantMarkPg(tx, {
              userId: input.userId,
              markId: batch!.markId,
              days: batch!.days,
              source: 'redeem',
              reference: `code:${claimed.id}`,
              actorUserId: input.actorUserId,
              actorLabel: input.actorLabel ?? null,
              reason,
              now: input.now,
            });
          } else {
            await grantPurchasedCreditsPg(tx, {
              userId: input.userId,
              amount: batch!.credits!,
              idempotencyKey: `code:${claimed.id}`,
              reason,
              actorUserId: input.actorUserId,
              actorLabel: input.actorLabel ?? null,
              tenantId: batch!.tenantId,
              now: input.now,
            });
          }
          const grant = await describeGrant(tx, batch!.id, input.userId);
          await insertAudit(tx, redemptionAudit(input, batch!, claimed, grant));
          for (const [key, policy] of buckets) await returnTokenPg(tx, key, policy, input.now);
          return { alreadyRedeemed: false, grant, redeemedAt: input.now };
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
