// Memberships on PostgreSQL: grant/extend, revoke, trials, the lapse sweep and the history list.
// Each change is one transaction with its member event and audit row; the auth-epoch triggers
// (migrations-pg 0000) bump the epoch in it, as SQLite's do. Transactions that lower the
// allowance lock the user's credit account first (decision 028's lock order).
//
// No automatic retries here: a grant is not keyed, so a retry after a commit whose answer was lost
// would extend twice. None of these transactions waits on another in opposite lock order.

import {
  marks,
  memberships,
  type PgDb,
  type PgTx,
  plans,
  tenants,
  trialRedemptions,
  users,
} from '@tessera/db/pg';
import { and, desc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import { emailNotVerified } from '../../../auth/email-verification.ts';
import {
  assertGrantDays,
  DAY_MS,
  type GrantMarkInput,
  grantAuditData,
  grantEventOf,
  membershipRefusal,
} from '../../../domain/memberships/grant-mark.ts';
import { activeMembershipOf } from '../../../domain/memberships/list-active-memberships.ts';
import {
  assertNotHeld,
  noSuchPlan,
  trialDaysOf,
  trialUsed,
} from '../../../domain/memberships/start-trial.ts';
import { parseStoredCeiling } from '../../../domain/tenancy/ceiling.ts';
import { randomId } from '../../../lib/ids.ts';
import type { MembershipRow } from '../../../member/member-statements.ts';
import type {
  GrantMarkResult,
  MembershipRecord,
  RevokeMarkInput,
  RevokeMarkResult,
  StartTrialInput,
} from '../../members-store.ts';
import {
  appendMemberEventPg,
  lapseAllowancePg,
  lockCreditAccount,
  recordAuditPg,
} from './in-transaction.ts';

/**
 * grantMark inside the caller's transaction (days already checked): one guarded upsert, its
 * member event and audit row. Code redemptions and Stripe grants use it too.
 */
export async function grantIn(tx: PgTx, input: GrantMarkInput): Promise<GrantMarkResult> {
  const now = input.now.getTime();
  const length = input.days === null ? null : input.days * DAY_MS;
  const [mark] = await tx
    .select({ key: marks.key, tenantId: marks.tenantId })
    .from(marks)
    .where(eq(marks.id, input.markId));
  if (!mark) throw membershipRefusal.noSuchMark();
  // `for share`: the user cannot vanish before the upsert (its foreign key would surface as a 500).
  const [user] = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.id, input.userId))
    .for('share');
  if (!user) throw membershipRefusal.noSuchUser();
  if (input.mode === 'extend') {
    const [held] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.userId, input.userId), eq(memberships.markId, input.markId)));
    if (!held) throw membershipRefusal.neverHeld();
  }
  const lapsed = sql`(${memberships.expiresAt} is not null and ${memberships.expiresAt} <= ${now}::bigint)`;
  const [row] = await tx
    .insert(memberships)
    .values({
      id: randomId(),
      userId: input.userId,
      markId: input.markId,
      startsAt: input.now,
      expiresAt: length === null ? null : new Date(now + length),
      status: 'active',
      source: input.source,
      reference: input.reference ?? null,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .onConflictDoUpdate({
      target: [memberships.userId, memberships.markId],
      set: {
        startsAt: sql`case when ${lapsed} then ${now}::bigint else ${memberships.startsAt} end`,
        expiresAt:
          length === null
            ? sql`null`
            : sql`case when ${memberships.expiresAt} is null then null else greatest(${memberships.expiresAt}, ${now}::bigint) + ${length}::bigint end`,
        status: 'active',
        source: sql`excluded.source`,
        reference: sql`excluded.reference`,
        updatedAt: input.now,
      },
    })
    .returning();
  if (!row) throw new Error('membership upsert returned no row');
  const kind = grantEventOf(row.startsAt, input.now);
  await appendMemberEventPg(tx, { userId: input.userId, kind, markKey: mark.key, now: input.now });
  await recordAuditPg(tx, {
    tenantId: mark.tenantId,
    actorUserId: input.actorUserId,
    actorLabel: input.actorLabel ?? null,
    action: kind,
    subjectType: 'user',
    subjectId: input.userId,
    data: grantAuditData(input, mark.key, row.expiresAt),
    ip: null,
    createdAt: input.now,
  });
  return { membership: row, markKey: mark.key, event: kind };
}

/** One user's lapsed marks → expired, each with its event, audit row and allowance lapse. */
async function expireLapsedIn(tx: PgTx, userId: string, now: Date): Promise<string[]> {
  await lockCreditAccount(tx, userId);
  const lapsed = await tx
    .update(memberships)
    .set({ status: 'expired', updatedAt: now })
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.status, 'active'),
        lte(memberships.expiresAt, now),
      ),
    )
    .returning({ markId: memberships.markId, expiresAt: memberships.expiresAt });
  const keys: string[] = [];
  for (const ended of lapsed) {
    const [mark] = await tx
      .select({ id: marks.id, key: marks.key, tenantId: marks.tenantId })
      .from(marks)
      .where(eq(marks.id, ended.markId));
    if (!mark) continue;
    keys.push(mark.key);
    await appendMemberEventPg(tx, { userId, kind: 'membership.expired', markKey: mark.key, now });
    await recordAuditPg(tx, {
      tenantId: mark.tenantId,
      actorUserId: null,
      action: 'membership.expired',
      subjectType: 'user',
      subjectId: userId,
      data: { markKey: mark.key },
      ip: null,
      createdAt: now,
    });
    await lapseAllowancePg(tx, {
      userId,
      markKey: mark.key,
      tenantId: mark.tenantId,
      key: `lapse:${userId}:${mark.id}:${ended.expiresAt?.getTime() ?? 0}`,
      actorUserId: null,
      now,
    });
  }
  return keys;
}

export function createPgMemberships(db: PgDb) {
  return {
    async grantMark(input: GrantMarkInput): Promise<GrantMarkResult> {
      assertGrantDays(input.days);
      return db.transaction((tx) => grantIn(tx, input));
    },

    revokeMark(input: RevokeMarkInput): Promise<RevokeMarkResult> {
      return db.transaction(async (tx) => {
        const [mark] = await tx
          .select({ key: marks.key, tenantId: marks.tenantId })
          .from(marks)
          .where(eq(marks.id, input.markId));
        if (!mark) throw membershipRefusal.noSuchMark();
        await lockCreditAccount(tx, input.userId);
        const [row] = await tx
          .update(memberships)
          .set({ status: 'revoked', expiresAt: input.now, updatedAt: input.now })
          .where(
            and(
              eq(memberships.userId, input.userId),
              eq(memberships.markId, input.markId),
              or(isNull(memberships.expiresAt), gt(memberships.expiresAt, input.now)),
            ),
          )
          .returning();
        if (!row) throw membershipRefusal.notHeld();
        await appendMemberEventPg(tx, {
          userId: input.userId,
          kind: 'membership.revoked',
          markKey: mark.key,
          now: input.now,
        });
        await recordAuditPg(tx, {
          tenantId: mark.tenantId,
          actorUserId: input.actorUserId,
          actorLabel: input.actorLabel ?? null,
          action: 'membership.revoked',
          subjectType: 'user',
          subjectId: input.userId,
          data: { markKey: mark.key, reason: input.reason ?? null },
          ip: null,
          createdAt: input.now,
        });
        await lapseAllowancePg(tx, {
          userId: input.userId,
          markKey: mark.key,
          tenantId: mark.tenantId,
          key: `lapse:${input.userId}:${input.markId}:${input.now.getTime()}`,
          actorUserId: input.actorUserId,
          actorLabel: input.actorLabel ?? null,
          now: input.now,
        });
        return { membership: row, markKey: mark.key };
      });
    },

    startTrial(input: StartTrialInput): Promise<GrantMarkResult> {
      return db.transaction(async (tx) => {
        const [user] = await tx
          .select({ verifiedAt: users.emailVerifiedAt })
          .from(users)
          .where(eq(users.id, input.userId));
        if (user?.verifiedAt == null) throw emailNotVerified();
        const [plan] = await tx
          .select({
            id: plans.id,
            tenantId: plans.tenantId,
            markId: plans.markId,
            trialDays: plans.trialDays,
          })
          .from(plans)
          .where(and(eq(plans.id, input.planId), eq(plans.active, true)));
        if (!plan) throw noSuchPlan();
        const [tenant] = await tx
          .select({
            kind: tenants.kind,
            ceiling: tenants.ceiling,
            suspendedAt: tenants.suspendedAt,
          })
          .from(tenants)
          .where(eq(tenants.id, plan.tenantId));
        if (!tenant) throw noSuchPlan();
        const trialDays = trialDaysOf(plan.trialDays, {
          ceiling: tenant.kind === 'vendor' ? parseStoredCeiling(tenant.ceiling) : null,
          suspended: tenant.suspendedAt !== null,
        });
        assertNotHeld(await activeIn(tx, input.userId, input.now), plan.markId);
        // The unique (user, tenant) index is the guard: a second attempt, even a concurrent one,
        // waits for the first to commit and then inserts nothing.
        const [redeemed] = await tx
          .insert(trialRedemptions)
          .values({
            userId: input.userId,
            tenantId: plan.tenantId,
            markId: plan.markId,
            planId: plan.id,
            createdAt: input.now,
          })
          .onConflictDoNothing()
          .returning({ planId: trialRedemptions.planId });
        if (!redeemed) throw trialUsed();
        return grantIn(tx, {
          userId: input.userId,
          markId: plan.markId,
          days: trialDays,
          source: 'trial',
          reference: plan.id,
          actorUserId: input.userId,
          reason: 'trial',
          now: input.now,
        });
      });
    },

    async sweepLapsedMemberships(input: { now: Date; limit?: number }): Promise<number> {
      const holders = await db
        .selectDistinct({ userId: memberships.userId })
        .from(memberships)
        .where(and(eq(memberships.status, 'active'), lte(memberships.expiresAt, input.now)))
        .limit(input.limit ?? 500);
      // One short transaction per user, as on SQLite: chats keep flowing between them.
      for (const { userId } of holders) {
        await db.transaction((tx) => expireLapsedIn(tx, userId, input.now));
      }
      return holders.length;
    },

    expireLapsedMemberships(input: { userId: string; now: Date }): Promise<string[]> {
      return db.transaction((tx) => expireLapsedIn(tx, input.userId, input.now));
    },

    async listUserMemberships(input: {
      userId: string;
      tenantId?: string;
      now: Date;
    }): Promise<MembershipRecord[]> {
      const rows = await db
        .select({
          id: memberships.id,
          markId: marks.id,
          markKey: marks.key,
          markName: marks.name,
          startsAt: memberships.startsAt,
          expiresAt: memberships.expiresAt,
          status: memberships.status,
          source: memberships.source,
          reference: memberships.reference,
        })
        .from(memberships)
        .innerJoin(marks, eq(marks.id, memberships.markId))
        .where(
          and(
            eq(memberships.userId, input.userId),
            input.tenantId ? eq(marks.tenantId, input.tenantId) : undefined,
          ),
        )
        .orderBy(desc(memberships.updatedAt));
      return rows.map((m) => ({
        ...m,
        activeNow: m.expiresAt === null || m.expiresAt > input.now,
      }));
    },
  };
}

/** The marks held at `now`, read inside a transaction (the same rule as ACTIVE_MEMBERSHIPS_SQL). */
async function activeIn(tx: PgTx, userId: string, now: Date) {
  const result = await tx.execute<MembershipRow & Record<string, unknown>>(sql`
    select m.id as mark_id, m.key as mark_key, m.name as mark_name,
           m.tenant_id, t.name as tenant_name, ms.starts_at, ms.expires_at, ms.source,
           m.entitlements::text as entitlements,
           case when t.kind = 'vendor' then t.ceiling::text end as ceiling
    from memberships ms join marks m on m.id = ms.mark_id join tenants t on t.id = m.tenant_id
    where ms.user_id = ${userId} and (ms.expires_at is null or ms.expires_at > ${now.getTime()})
      and t.suspended_at is null`);
  return result.rows.map((row) =>
    activeMembershipOf({
      ...row,
      starts_at: Number(row.starts_at),
      expires_at: row.expires_at === null ? null : Number(row.expires_at),
    }),
  );
}
