import type { DbOrTx } from '@tessera/db';
import { tenantMembers, users } from '@tessera/db';
import { eq, sql } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { normalizeEmail } from '../users/normalize-email.ts';
import { noAccountWithEmail } from './create-vendor.ts';

export type AddTenantMemberInput = Parameters<typeof addTenantMember>[1];

export const ownerRoleKept = () =>
  new DomainError('FORBIDDEN', "The owner's role cannot be changed here.");

/**
 * Adds (or changes the role of) a member of a tenant. Vendor owners and admins add admins and
 * staff (the vendor router only offers those); a platform admin may also name an owner. An
 * existing owner's role is never changed here.
 */
export function addTenantMember(
  db: DbOrTx,
  input: {
    tenantId: string;
    email: string;
    role: 'owner' | 'admin' | 'staff';
    actorUserId: string | null;
    now: Date;
  },
) {
  return db.transaction((tx) => {
    const user = tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(eq(users.email, normalizeEmail(input.email)))
      .get();
    if (!user) throw noAccountWithEmail('email');
    const row = tx
      .insert(tenantMembers)
      .values({ tenantId: input.tenantId, userId: user.id, role: input.role, createdAt: input.now })
      .onConflictDoUpdate({
        target: [tenantMembers.tenantId, tenantMembers.userId],
        set: { role: input.role },
        setWhere: sql`${tenantMembers.role} <> 'owner'`,
      })
      .returning()
      .get();
    if (!row) throw ownerRoleKept();
    recordAudit(tx, {
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
  }, IMMEDIATE);
}
