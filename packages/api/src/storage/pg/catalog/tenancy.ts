// Vendors on PostgreSQL: creation, staff and owner, and what only the platform decides (ceiling,
// suspension; decision 012) — each change one transaction with its audit row and, where it changes
// what members may do, a broadcast member event. Changes to one vendor lock its tenant row first,
// so two of them queue (two owners named at once end with one owner, as on SQLite).
import type { Tenant } from '@tessera/db';
import {
  marks,
  memberships,
  type PgDb,
  type PgDbOrTx,
  type PgTx,
  plans,
  tenantMembers,
  tenants,
  users,
} from '@tessera/db/pg';
import { and, countDistinct, desc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { catalogViolationsGiven, modelIdsNamed } from '../../../domain/catalog/check-catalog.ts';
import type { ListSubscribersInput } from '../../../domain/memberships/list-subscribers.ts';
import {
  type AddTenantMemberInput,
  ownerRoleKept,
} from '../../../domain/tenancy/add-tenant-member.ts';
import { type Ceiling, type CeilingInput, ceilingSchema } from '../../../domain/tenancy/ceiling.ts';
import {
  type CreateVendorInput,
  noAccountWithEmail,
  parseVendorSlug,
  vendorSlugTaken,
} from '../../../domain/tenancy/create-vendor.ts';
import {
  assertCeilingInCatalog,
  suspensionChange,
  type VendorActor,
  vendorOnly,
} from '../../../domain/tenancy/vendor-trust.ts';
import { normalizeEmail } from '../../../domain/users/normalize-email.ts';
import { DomainError } from '../../../errors.ts';
import { randomId } from '../../../lib/ids.ts';
import { validate } from '../../../lib/validate.ts';
import type {
  SubscriberRow,
  Suspension,
  TenantMemberRow,
  TenantRoleChange,
  VendorSummary,
} from '../../catalog-store.ts';
import {
  appendBroadcastEventPg,
  inTransaction,
  knownModelsPg,
  readTenantLimitsPg,
  recordAuditPg,
} from './pg-support.ts';

export async function listVendorsPg(db: PgDb, now: Date): Promise<VendorSummary[]> {
  const markCount = db
    .select({ n: sql<number>`count(*)::int` })
    .from(marks)
    .where(eq(marks.tenantId, tenants.id));
  const planCount = db
    .select({ n: sql<number>`count(*)::int` })
    .from(plans)
    .where(eq(plans.tenantId, tenants.id));
  const subscribers = db
    .select({ n: sql<number>`${countDistinct(memberships.userId)}::int` })
    .from(memberships)
    .innerJoin(marks, eq(marks.id, memberships.markId))
    .where(
      and(
        eq(marks.tenantId, tenants.id),
        or(isNull(memberships.expiresAt), gt(memberships.expiresAt, now)),
      ),
    );
  return db
    .select({
      id: tenants.id,
      kind: tenants.kind,
      slug: tenants.slug,
      name: tenants.name,
      createdAt: tenants.createdAt,
      suspendedAt: tenants.suspendedAt,
      suspendedReason: tenants.suspendedReason,
      ownerEmail: users.email,
      marks: sql<number>`(${markCount})`,
      plans: sql<number>`(${planCount})`,
      activeSubscribers: sql<number>`(${subscribers})`,
    })
    .from(tenants)
    .leftJoin(
      tenantMembers,
      and(eq(tenantMembers.tenantId, tenants.id), eq(tenantMembers.role, 'owner')),
    )
    .leftJoin(users, eq(users.id, tenantMembers.userId))
    .where(eq(tenants.kind, 'vendor'))
    .orderBy(sql`${tenants.slug} collate "C"`);
}

export async function vendorTenantsPg(db: PgDb, ids: readonly string[] | 'all'): Promise<Tenant[]> {
  if (ids !== 'all' && ids.length === 0) return [];
  return db
    .select()
    .from(tenants)
    .where(
      and(eq(tenants.kind, 'vendor'), ids === 'all' ? undefined : inArray(tenants.id, [...ids])),
    ) as Promise<Tenant[]>;
}

async function vendorBy(db: PgDbOrTx, where: ReturnType<typeof eq>): Promise<Tenant | undefined> {
  const [tenant] = await db
    .select()
    .from(tenants)
    .where(and(where, eq(tenants.kind, 'vendor')));
  return tenant as Tenant | undefined;
}

export async function isVendorPg(db: PgDb, tenantId: string): Promise<boolean> {
  return (await vendorBy(db, eq(tenants.id, tenantId))) !== undefined;
}

export async function getVendorPg(db: PgDb, tenantId: string): Promise<Tenant> {
  const tenant = await vendorBy(db, eq(tenants.id, tenantId));
  if (!tenant) throw new DomainError('NOT_FOUND', 'No such vendor.');
  return tenant;
}

export async function getVendorBySlugPg(db: PgDb, slug: string): Promise<Tenant> {
  const tenant = await vendorBy(db, eq(tenants.slug, slug));
  if (!tenant) throw new DomainError('NOT_FOUND', `No vendor "${slug}".`);
  return tenant;
}

async function userByEmail(tx: PgDbOrTx, email: string) {
  const [user] = await tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(eq(users.email, normalizeEmail(email)));
  return user;
}

export async function createVendorPg(db: PgDb, input: CreateVendorInput): Promise<Tenant> {
  const slug = parseVendorSlug(input.slug);
  return inTransaction(db, async (tx) => {
    const owner = await userByEmail(tx, input.ownerEmail);
    if (!owner) throw noAccountWithEmail('ownerEmail');
    const [tenant] = await tx
      .insert(tenants)
      .values({ id: randomId(), kind: 'vendor', slug, name: input.name, createdAt: input.now })
      .onConflictDoNothing({ target: tenants.slug })
      .returning();
    if (!tenant) throw vendorSlugTaken(slug);
    await tx
      .insert(tenantMembers)
      .values({ tenantId: tenant.id, userId: owner.id, role: 'owner', createdAt: input.now });
    await recordAuditPg(tx, {
      tenantId: tenant.id,
      actorUserId: input.actorUserId,
      actorLabel: input.actorLabel ?? null,
      action: 'vendor.created',
      subjectType: 'tenant',
      subjectId: tenant.id,
      data: { slug, ownerUserId: owner.id },
      ip: null,
      createdAt: input.now,
    });
    return tenant as Tenant;
  });
}

export async function listTenantMembersPg(db: PgDb, tenantId: string): Promise<TenantMemberRow[]> {
  return db
    .select({
      userId: users.id,
      email: users.email,
      role: tenantMembers.role,
      createdAt: tenantMembers.createdAt,
    })
    .from(tenantMembers)
    .innerJoin(users, eq(users.id, tenantMembers.userId))
    .where(eq(tenantMembers.tenantId, tenantId))
    .orderBy(sql`${tenantMembers.role} collate "C"`, sql`${users.email} collate "C"`);
}

export async function listSubscribersPg(
  db: PgDb,
  input: ListSubscribersInput,
): Promise<SubscriberRow[]> {
  const rows = await db
    .select({
      userId: users.id,
      email: users.email,
      markKey: marks.key,
      markName: marks.name,
      startsAt: memberships.startsAt,
      expiresAt: memberships.expiresAt,
      status: memberships.status,
      source: memberships.source,
    })
    .from(memberships)
    .innerJoin(marks, eq(marks.id, memberships.markId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(marks.tenantId, input.tenantId),
        input.activeOnly
          ? or(isNull(memberships.expiresAt), gt(memberships.expiresAt, input.now))
          : undefined,
      ),
    )
    .orderBy(desc(memberships.updatedAt))
    .limit(500);
  return rows.map((s) => ({
    ...s,
    activeNow: s.expiresAt === null || s.expiresAt > input.now,
  }));
}

export async function addTenantMemberPg(
  db: PgDb,
  input: AddTenantMemberInput,
): Promise<TenantRoleChange> {
  return inTransaction(db, async (tx) => {
    const user = await userByEmail(tx, input.email);
    if (!user) throw noAccountWithEmail('email');
    const [row] = await tx
      .insert(tenantMembers)
      .values({ tenantId: input.tenantId, userId: user.id, role: input.role, createdAt: input.now })
      .onConflictDoUpdate({
        target: [tenantMembers.tenantId, tenantMembers.userId],
        set: { role: input.role },
        setWhere: sql`${tenantMembers.role} <> 'owner'`,
      })
      .returning();
    if (!row) throw ownerRoleKept();
    await recordAuditPg(tx, {
      tenantId: input.tenantId,
      actorUserId: input.actorUserId,
      action: 'tenant.member_added',
      subjectType: 'user',
      subjectId: user.id,
      data: { role: input.role },
      ip: null,
      createdAt: input.now,
    });
    return { userId: user.id, email: user.email, role: row.role };
  });
}

/** The vendor's limits, its tenant row locked for the rest of the transaction. */
async function lockVendor(tx: PgTx, tenantId: string) {
  return vendorOnly(await readTenantLimitsPg(tx, tenantId, { lock: true }));
}

/** What every change to what a vendor delegates writes beside it (vendor-trust.ts's twin). */
async function vendorChanged(
  tx: PgTx,
  input: VendorActor & { tenantId: string },
  action: string,
  data: Record<string, unknown> | null,
) {
  await appendBroadcastEventPg(tx, { kind: 'tenant.changed', now: input.now });
  await recordAuditPg(tx, {
    tenantId: input.tenantId,
    actorUserId: input.actorUserId,
    actorLabel: input.actorLabel ?? null,
    action,
    subjectType: 'tenant',
    subjectId: input.tenantId,
    data,
    ip: null,
    createdAt: input.now,
  });
}

export async function setVendorOwnerPg(
  db: PgDb,
  input: VendorActor & { tenantId: string; email: string },
): Promise<TenantRoleChange> {
  return inTransaction(db, async (tx) => {
    await lockVendor(tx, input.tenantId);
    const user = await userByEmail(tx, input.email);
    if (!user) throw noAccountWithEmail('email');
    const previous = await tx
      .update(tenantMembers)
      .set({ role: 'admin' })
      .where(
        and(
          eq(tenantMembers.tenantId, input.tenantId),
          eq(tenantMembers.role, 'owner'),
          ne(tenantMembers.userId, user.id),
        ),
      )
      .returning({ userId: tenantMembers.userId });
    await tx
      .insert(tenantMembers)
      .values({ tenantId: input.tenantId, userId: user.id, role: 'owner', createdAt: input.now })
      .onConflictDoUpdate({
        target: [tenantMembers.tenantId, tenantMembers.userId],
        set: { role: 'owner' },
      });
    await recordAuditPg(tx, {
      tenantId: input.tenantId,
      actorUserId: input.actorUserId,
      actorLabel: input.actorLabel ?? null,
      action: 'vendor.owner_set',
      subjectType: 'user',
      subjectId: user.id,
      data: { previousOwnerUserIds: previous.map((p) => p.userId) },
      ip: null,
      createdAt: input.now,
    });
    return { userId: user.id, email: user.email, role: 'owner' as const };
  });
}

export async function getVendorCeilingPg(db: PgDb, tenantId: string): Promise<Ceiling> {
  return vendorOnly(await readTenantLimitsPg(db, tenantId)).ceiling!;
}

export async function setVendorCeilingPg(
  db: PgDb,
  input: VendorActor & { tenantId: string; ceiling: CeilingInput },
): Promise<Ceiling> {
  const ceiling = validate(ceilingSchema, input.ceiling, 'ceiling');
  return inTransaction(db, async (tx) => {
    const previous = (await lockVendor(tx, input.tenantId)).ceiling;
    const known = await knownModelsPg(tx, modelIdsNamed(ceiling));
    assertCeilingInCatalog(catalogViolationsGiven(ceiling, 'ceiling', known));
    await tx.update(tenants).set({ ceiling }).where(eq(tenants.id, input.tenantId));
    await vendorChanged(tx, input, 'vendor.ceiling_set', { previous, ceiling });
    return ceiling;
  });
}

export async function setVendorSuspendedPg(
  db: PgDb,
  input: VendorActor & { tenantId: string; suspended: boolean; reason?: string },
): Promise<Suspension> {
  return inTransaction(db, async (tx) => {
    await lockVendor(tx, input.tenantId);
    const change = suspensionChange(input);
    const [row] = await tx
      .update(tenants)
      .set(change.set)
      .where(eq(tenants.id, input.tenantId))
      .returning({ suspendedAt: tenants.suspendedAt, suspendedReason: tenants.suspendedReason });
    await vendorChanged(tx, input, change.action, change.data);
    return row!;
  });
}
