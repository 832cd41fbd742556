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

/**
 * Generates a batch of codes for a plan (its mark for `days`, by default the plan's own term) or
 * for `credits` purchased credits. The codes are returned once, here, and stored only as hashes
 * (docs/decisions/017-redemption-codes.md). A vendor plan's codes need a vendor in good standing;
 * what they grant stays within its ceiling because vendor marks are clamped when held.
 */
export function generateCodes(
  db: Db,
  input: CodeBatchInput & {
    actorUserId: string | null;
    actorLabel?: string | null;
    now: Date;
  },
) {
  const { actorUserId, actorLabel, now, ...fields } = input;
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
  return db.transaction((tx) => {
    let grant: {
      tenantId: string;
      planId: string | null;
      markId: string | null;
      days: number | null;
    };
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
      if (!plan) {
        throw new DomainError('NOT_FOUND', `No plan with key "${batch.planKey}".`, {
          fieldErrors: { planKey: ['NOT_FOUND'] },
        });
      }
      if (readTenantLimits(tx, plan.tenantId).suspended) {
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
      grant = { tenantId: plan.tenantId, planId: plan.id, markId: plan.markId, days };
      planKey = plan.key;
    } else {
      grant = { tenantId: PLATFORM_TENANT_ID, planId: null, markId: null, days: null };
    }
    const batchId = randomId();
    const row = tx
      .insert(redemptionBatches)
      .values({
        id: batchId,
        ...grant,
        credits: batch.credits ?? null,
        count: batch.count,
        note: batch.note || null,
        expiresAt: batch.expiresAt ?? null,
        createdBy: actorUserId,
        createdByLabel: actorLabel ?? null,
        createdAt: now,
      })
      .returning()
      .get();
    const codes: { id: string; code: string }[] = [];
    for (let i = 0; i < batch.count; i++) {
      const code = generateCode();
      const body = normalizeCode(code)!;
      const id = randomId();
      tx.insert(redemptionCodes)
        .values({ id, batchId, codeHash: hashCode(body), hint: body.slice(-4), createdAt: now })
        .run();
      codes.push({ id, code });
    }
    recordAudit(tx, {
      tenantId: grant.tenantId,
      actorUserId,
      actorLabel: actorLabel ?? null,
      action: 'codes.generated',
      subjectType: 'redemption_batch',
      subjectId: batchId,
      data: {
        planKey,
        days: grant.days,
        credits: row.credits,
        count: row.count,
        note: row.note,
        expiresAt: row.expiresAt?.toISOString() ?? null,
      },
      ip: null,
      createdAt: now,
    });
    return {
      batch: {
        id: row.id,
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
  }, IMMEDIATE);
}
