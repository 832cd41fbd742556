import type { DbOrTx, TenantRole } from '@tessera/db';
import { tenantMembers, users } from '@tessera/db';
import { asc, inArray, sql } from 'drizzle-orm';

export interface ListUsersInput {
  search?: string;
  limit?: number;
}

/** Users by email (optionally filtered by a substring), with their tenant roles. */
export function listUsers(db: DbOrTx, input: ListUsersInput = {}) {
  const escaped = input.search
    ?.trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      createdAt: users.createdAt,
      disabledAt: users.disabledAt,
      disabledReason: users.disabledReason,
    })
    .from(users)
    .where(escaped ? sql`${users.email} LIKE ${`%${escaped}%`} ESCAPE '\\'` : undefined)
    .orderBy(asc(users.email))
    .limit(input.limit ?? 100)
    .all();
  if (rows.length === 0) return [];

  const roles = db
    .select({
      userId: tenantMembers.userId,
      tenantId: tenantMembers.tenantId,
      role: tenantMembers.role,
    })
    .from(tenantMembers)
    .where(
      inArray(
        tenantMembers.userId,
        rows.map((r) => r.id),
      ),
    )
    .all();
  return rows.map((user) => ({
    ...user,
    roles: roles
      .filter((r) => r.userId === user.id)
      .map((r): { tenantId: string; role: TenantRole } => ({ tenantId: r.tenantId, role: r.role })),
  }));
}
