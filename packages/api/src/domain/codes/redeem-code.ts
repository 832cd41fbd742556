import type { Db, DbOrTx } from '@tessera/db';
import { marks, memberships, plans, redemptionBatches, redemptionCodes } from '@tessera/db';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { requireVerifiedEmail } from '../../auth/email-verification.ts';
import { type BucketPolicy, networkOf, returnToken, takeToken } from '../../auth/throttle.ts';
import { DomainError } from '../../errors.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { grantPurchasedCredits } from '../credits/purchased-credits.ts';
import { grantMark } from '../memberships/grant-mark.ts';
import { readTenantLimits } from '../tenancy/tenant-ceiling.ts';
import { hashCode, normalizeCode } from './code-format.ts';

/** Redemptions per member: a person fixing a typo is never held up, a guesser crawls. */
export const CODE_USER_BUCKET: BucketPolicy = { capacity: 10, perHour: 30 };
/** Redemptions per network (an IPv4 address or an IPv6 /64), against many accounts guessing. */
export const CODE_NETWORK_BUCKET: BucketPolicy = { capacity: 30, perHour: 120 };

export interface RedeemCodeInput {
  userId: string;
  code: string;
  /** The member's address (SPA); null from the CLI. */
  ip: string | null;
  /** Take tokens from the guessing buckets (the SPA); the CLI's operator is not throttled. */
  throttle: boolean;
  /**
   * Refuse a plan code (one that grants a mark, like a trial) to an unverified address (the SPA,
   * decision 022); the CLI's operator vouches for whom they redeem for.
   */
  requireVerifiedEmail: boolean;
  actorUserId: string | null;
  actorLabel?: string | null;
  now: Date;
}

export type CodeGrant =
  | { kind: 'plan'; planKey: string; markKey: string; days: number; expiresAt: Date | null }
  | { kind: 'credits'; credits: number };

export interface RedeemCodeResult {
  /** True when this member had already redeemed this code: nothing new was granted. */
  alreadyRedeemed: boolean;
  grant: CodeGrant;
  redeemedAt: Date;
}

function invalidCode(): never {
  throw new DomainError('CODE_INVALID', 'That is not a valid code.', {
    fieldErrors: { code: ['CODE_INVALID'] },
  });
}

/**
 * Redeems a code for a member, exactly once per code: the claim is one guarded UPDATE (never a
 * read first), and the grant (a plan's mark for the batch's days, or purchased credits) and its
 * audit row share its transaction, so a refused grant leaves the code unused. The same member
 * redeeming again gets the same answer with `alreadyRedeemed`; anyone else gets CODE_USED.
 * Every attempt in the SPA takes a token per member and per network first (decision 002's
 * buckets, here for guesses), given back when the code turns out to be theirs.
 */
export function redeemCode(db: Db, input: RedeemCodeInput): RedeemCodeResult {
  const { codeHash, buckets } = prepareRedemption(input);
  if (buckets.length > 0) {
    // Its own transaction: a failed guess keeps its cost when the redemption throws.
    db.transaction((tx) => {
      for (const [key, policy] of buckets) {
        const taken = takeToken(tx, key, policy, input.now);
        if (!taken.ok) {
          tooManyAttempts(taken.retryAfterSeconds);
        }
      }
    }, IMMEDIATE);
  }

  const nowMs = input.now.getTime();
  return db.transaction((tx) => {
    const claimed = tx
      .update(redemptionCodes)
      .set({ redeemedBy: input.userId, redeemedAt: input.now })
      .where(
        and(
          eq(redemptionCodes.codeHash, codeHash),
          isNull(redemptionCodes.redeemedAt),
          sql`exists (select 1 from ${redemptionBatches} where ${redemptionBatches.id} = ${redemptionCodes.batchId} and (${redemptionBatches.expiresAt} is null or ${redemptionBatches.expiresAt} > ${nowMs}))`,
        ),
      )
      .returning({
        id: redemptionCodes.id,
        batchId: redemptionCodes.batchId,
        hint: redemptionCodes.hint,
      })
      .get();

    if (!claimed) {
      const existing = tx
        .select({
          id: redemptionCodes.id,
          batchId: redemptionCodes.batchId,
          redeemedBy: redemptionCodes.redeemedBy,
          redeemedAt: redemptionCodes.redeemedAt,
        })
        .from(redemptionCodes)
        .where(eq(redemptionCodes.codeHash, codeHash))
        .get();
      const redeemedAt = refuseUnclaimed(existing, input.userId);
      for (const [key, policy] of buckets) returnToken(tx, key, policy, input.now);
      return {
        alreadyRedeemed: true,
        grant: describeGrant(tx, existing!.batchId, input.userId),
        redeemedAt,
      };
    }

    const batch = tx
      .select()
      .from(redemptionBatches)
      .where(eq(redemptionBatches.id, claimed.batchId))
      .get()!;
    const reason = `code …${claimed.hint}`;
    if (batch.markId !== null && batch.days !== null) {
      // Throwing rolls the claim back: the code stays usable once the address is verified.
      if (input.requireVerifiedEmail) requireVerifiedEmail(tx, input.userId);
      // A suspended seller's codes grant nothing; the claim rolls back, so the code stays usable
      // if the vendor is reinstated. A vendor mark is clamped to its ceiling whenever it is held.
      if (readTenantLimits(tx, batch.tenantId).suspended) sellerNotSelling();
      grantMark(tx, {
        userId: input.userId,
        markId: batch.markId,
        days: batch.days,
        source: 'redeem',
        reference: `code:${claimed.id}`,
        actorUserId: input.actorUserId,
        actorLabel: input.actorLabel ?? null,
        reason,
        now: input.now,
      });
    } else {
      // Purchased credits (decision 015): no refill or lapsed plan ever takes them back.
      grantPurchasedCredits(tx, {
        userId: input.userId,
        amount: batch.credits!,
        idempotencyKey: `code:${claimed.id}`,
        reason,
        actorUserId: input.actorUserId,
        actorLabel: input.actorLabel ?? null,
        tenantId: batch.tenantId,
        now: input.now,
      });
    }
    const grant = describeGrant(tx, batch.id, input.userId);
    recordAudit(tx, redemptionAudit(input, batch, claimed, grant));
    for (const [key, policy] of buckets) returnToken(tx, key, policy, input.now);
    return { alreadyRedeemed: false, grant, redeemedAt: input.now };
  }, IMMEDIATE);
}

/** What a batch grants, with the member's current end of the mark for plan codes. */
function describeGrant(db: DbOrTx, batchId: string, userId: string): CodeGrant {
  const row = db
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
    .where(eq(redemptionBatches.id, batchId))
    .get()!;
  if (row.markId === null || row.days === null) return grantOf(row, null);
  const held = db
    .select({ expiresAt: memberships.expiresAt })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.markId, row.markId)))
    .get();
  return grantOf(row, held?.expiresAt ?? null);
}

/** A batch's grant row (with its plan and mark keys) as the member is told it. */
export interface GrantRow {
  credits: number | null;
  days: number | null;
  markId: string | null;
  planKey: string | null;
  markKey: string | null;
}

/** What a batch grants, given the member's current end of its mark (plan codes). */
export function grantOf(row: GrantRow, heldUntil: Date | null): CodeGrant {
  if (row.markId === null || row.days === null) return { kind: 'credits', credits: row.credits! };
  return {
    kind: 'plan',
    planKey: row.planKey!,
    markKey: row.markKey!,
    days: row.days,
    expiresAt: heldUntil,
  };
}

/** The stored hash of what was typed and the guessing buckets to take from, before any storage. */
export function prepareRedemption(input: RedeemCodeInput) {
  const body = normalizeCode(input.code);
  // Malformed input says nothing about which codes exist: refused before any token is taken.
  if (body === null) {
    throw new DomainError('VALIDATION', 'A code looks like TSRA-XXXX-XXXX-XXXX-XXXX.', {
      fieldErrors: { code: ['CODE_FORMAT'] },
    });
  }
  const buckets: [string, BucketPolicy][] = input.throttle
    ? [
        [`code:${input.userId}`, CODE_USER_BUCKET],
        ...(input.ip
          ? [[`code-net:${networkOf(input.ip)}`, CODE_NETWORK_BUCKET] as [string, BucketPolicy]]
          : []),
      ]
    : [];
  return { codeHash: hashCode(body), buckets };
}

export function tooManyAttempts(retryAfterSeconds: number): never {
  throw new DomainError('TOO_MANY_ATTEMPTS', 'Too many codes tried. Try again shortly.', {
    retryAfterSeconds,
  });
}

export function sellerNotSelling(): never {
  throw new DomainError('CODE_EXPIRED', 'The seller of this plan is not selling now.', {
    fieldErrors: { code: ['SELLER_SUSPENDED'] },
  });
}

/**
 * Why a code could not be claimed (unknown, expired, someone else's), or, when it is this
 * member's own, when they redeemed it.
 */
export function refuseUnclaimed(
  existing: { redeemedBy: string | null; redeemedAt: Date | null } | undefined,
  userId: string,
): Date {
  if (!existing) invalidCode();
  if (existing.redeemedAt === null) {
    throw new DomainError('CODE_EXPIRED', 'This code has expired.', {
      fieldErrors: { code: ['CODE_EXPIRED'] },
    });
  }
  if (existing.redeemedBy !== userId) {
    throw new DomainError('CODE_USED', 'This code has already been used.', {
      fieldErrors: { code: ['CODE_USED'] },
    });
  }
  return existing.redeemedAt;
}

/** The audit row of a redemption. */
export function redemptionAudit(
  input: RedeemCodeInput,
  batch: { id: string; tenantId: string },
  claimed: { id: string; hint: string },
  grant: CodeGrant,
) {
  return {
    tenantId: batch.tenantId,
    actorUserId: input.actorUserId,
    actorLabel: input.actorLabel ?? null,
    action: 'code.redeemed',
    subjectType: 'user',
    subjectId: input.userId,
    data: {
      batchId: batch.id,
      codeId: claimed.id,
      hint: claimed.hint,
      ...(grant.kind === 'plan'
        ? { planKey: grant.planKey, markKey: grant.markKey, days: grant.days }
        : { credits: grant.credits }),
    },
    ip: input.ip,
    createdAt: input.now,
  };
}
