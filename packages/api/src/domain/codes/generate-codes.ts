import type { Db } from '@tessera/db';
import { PLATFORM_TENANT_ID, plans, redemptionBatches, redemptionCodes } from '@tessera/db';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { DomainError } from '../../errors.ts';
import { randomId } from '../../lib/ids.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { planTermDays } from '../plans/plan-input.ts';
import { readTenantLimits } from '../tenancy/tenant-ceiling.ts';
import { generateCode, hashCode, normalizeCode } from './code-format.ts';

/** What a batch grants and how many codes it has: the admin form's fields and the CLI's flags. */
export const codeBatchSchema = z
  .strictObject({
    planKey: z.string().trim().min(1, { error: 'REQUIRED' }).max(120, { error: 'TOO_LONG' }),
    credits: z
      .number({ error: 'INVALID' })
      .int({ error: 'INVALID' })
      .min(1, { error: 'TOO_SMALL' })
      .max(1_000_000_000, { error: 'TOO_LARGE' }),
    count: z
      .number({ error: 'INVALID' })
      .int({ error: 'INVALID' })
      .min(1, { error: 'TOO_SMALL' })
      .max(1000, { error: 'TOO_LARGE' }),
    days: z
      .number({ error: 'INVALID' })
      .int({ error: 'INVALID' })
      .min(1, { error: 'TOO_SMALL' })
      .max(36_500, { error: 'TOO_LARGE' }),
    note: z.string().trim().max(200, { error: 'TOO_LONG' }),
    expiresAt: z.coerce.date({ error: 'INVALID' }),
  })
  .partial({ planKey: true, credits: true, days: true, note: true, expiresAt: true })
  .refine((b) => (b.planKey === undefined) !== (b.credits === undefined), {
    error: 'PLAN_OR_CREDITS',
    path: ['planKey'],
  })
  .refine((b) => b.credits === undefined || b.days === undefined, {
    error: 'DAYS_ONLY_FOR_PLANS',
    path: ['days'],
  });
export type CodeBatchInput = z.input<typeof codeBatchSchema>;

export type CodeBatch = z.output<typeof codeBatchSchema>;

export interface GenerateCodesInput extends CodeBatchInput {
  actorUserId: string | null;
  actorLabel?: string | null;
  now: Date;
}

/** The batch's fields, validated, or VALIDATION with field errors (nothing is written then). */
export function parseCodeBatch(input: GenerateCodesInput): CodeBatch {
  const { actorUserId: _actor, actorLabel: _label, now, ...fields } = input;
  const parsed = codeBatchSchema.safeParse(fields);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.') || 'batch';
      fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
    }
    throw new DomainError('VALIDATION', 'Invalid batch.', { fieldErrors });
  }
  const batch = parsed.data;
  if (batch.expiresAt && batch.expiresAt.getTime() <= now.getTime()) {
    throw new DomainError('VALIDATION', 'The expiry must be in the future.', {
      fieldErrors: { expiresAt: ['IN_THE_PAST'] },
    });
  }
  return batch;
}

/** What a batch grants: a plan's mark for some days, or (no plan) the platform's credits. */
export interface CodeBatchGrant {
  tenantId: string;
  planId: string | null;
  markId: string | null;
  days: number | null;
}

export const CREDITS_GRANT: CodeBatchGrant = {
  tenantId: PLATFORM_TENANT_ID,
  planId: null,
  markId: null,
  days: null,
};

/** The plan a batch names, as the store found it (null: no such key). */
export interface CodeBatchPlan {
  id: string;
  key: string;
  tenantId: string;
  markId: string;
  interval: 'month' | 'year' | 'once';
  durationDays: number | null;
  sellerSuspended: boolean;
}

/** The grant of a plan batch, or why it cannot be made (no plan, suspended seller, no term). */
export function planGrantOf(batch: CodeBatch, plan: CodeBatchPlan | null): CodeBatchGrant {
  if (!plan) {
    throw new DomainError('NOT_FOUND', `No plan with key "${batch.planKey}".`, {
      fieldErrors: { planKey: ['NOT_FOUND'] },
    });
  }
  if (plan.sellerSuspended) {
    throw new DomainError('CONFLICT', 'The seller of this plan is suspended.', {
      fieldErrors: { planKey: ['SUSPENDED'] },
    });
  }
  const days = batch.days ?? planTermDays(plan);
  if (days === null) {
    throw new DomainError('VALIDATION', 'This plan has no term of its own: give the days.', {
      fieldErrors: { days: ['REQUIRED'] },
    });
  }
  return { tenantId: plan.tenantId, planId: plan.id, markId: plan.markId, days };
}

/** Fresh codes for a batch: what the admin is shown once, and the hash and hint stored. */
export function freshCodes(count: number) {
  return Array.from({ length: count }, () => {
    const code = generateCode();
    const body = normalizeCode(code)!;
    return { id: randomId(), code, codeHash: hashCode(body), hint: body.slice(-4) };
  });
}

export interface GeneratedCodes {
  batch: {
    id: string;
    planKey: string | null;
    days: number | null;
    credits: number | null;
    count: number;
    note: string | null;
    expiresAt: Date | null;
    createdAt: Date;
  };
  codes: string[];
}

/** The rows of a new batch and its audit event, the same on every engine. */
export function codeBatchRows(
  input: GenerateCodesInput,
  batch: CodeBatch,
  grant: CodeBatchGrant,
  planKey: string | null,
) {
  const id = randomId();
  const row = {
    id,
    ...grant,
    credits: batch.credits ?? null,
    count: batch.count,
    note: batch.note || null,
    expiresAt: batch.expiresAt ?? null,
    createdBy: input.actorUserId,
    createdByLabel: input.actorLabel ?? null,
    createdAt: input.now,
  };
  const codes = freshCodes(batch.count);
  const audit = {
    tenantId: grant.tenantId,
    actorUserId: input.actorUserId,
    actorLabel: input.actorLabel ?? null,
    action: 'codes.generated',
    subjectType: 'redemption_batch',
    subjectId: id,
    data: {
      planKey,
      days: grant.days,
      credits: row.credits,
      count: row.count,
      note: row.note,
      expiresAt: row.expiresAt?.toISOString() ?? null,
    },
    ip: null,
    createdAt: input.now,
  };
  const result: GeneratedCodes = {
    batch: {
      id,
      planKey,
      days: row.days,
      credits: row.credits,
      count: row.count,
      note: row.note,
      expiresAt: row.expiresAt,
      createdAt: row.createdAt,
    },
    codes: codes.map((c) => c.code),
  };
  return {
    batch: row,
    codes: codes.map(({ id: codeId, codeHash, hint }) => ({
      id: codeId,
      batchId: id,
      codeHash,
      hint,
      createdAt: input.now,
    })),
    audit,
    result,
  };
}

/**
 * Generates a batch of codes for a plan (its mark for `days`, by default the plan's own term) or
 * for `credits` purchased credits. The codes are returned once, here, and stored only as hashes
 * (docs/decisions/017-redemption-codes.md). A vendor plan's codes need a vendor in good standing;
 * what they grant stays within its ceiling because vendor marks are clamped when held.
 */
export function generateCodes(db: Db, input: GenerateCodesInput): GeneratedCodes {
  const batch = parseCodeBatch(input);
  return db.transaction((tx) => {
    let grant = CREDITS_GRANT;
    let planKey: string | null = null;
    if (batch.planKey !== undefined) {
      const plan = tx
        .select({
          id: plans.id,
          key: plans.key,
          tenantId: plans.tenantId,
          markId: plans.markId,
          interval: plans.interval,
          durationDays: plans.durationDays,
        })
        .from(plans)
        .where(eq(plans.key, batch.planKey))
        .get();
      grant = planGrantOf(
        batch,
        plan ? { ...plan, sellerSuspended: readTenantLimits(tx, plan.tenantId).suspended } : null,
      );
      planKey = plan!.key;
    }
    const rows = codeBatchRows(input, batch, grant, planKey);
    tx.insert(redemptionBatches).values(rows.batch).run();
    for (const code of rows.codes) tx.insert(redemptionCodes).values(code).run();
    recordAudit(tx, rows.audit);
    return rows.result;
  }, IMMEDIATE);
}
