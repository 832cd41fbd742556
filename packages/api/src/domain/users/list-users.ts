import type { DbOrTx, TenantRole } from '@tessera/db';
import { tenantMembers, tenants, users } from '@tessera/db';
import { asc, eq, inArray, sql } from 'drizzle-orm';

export interface ListUsersInput {
  search?: string;
  limit?: number;
}

/**
 * The LIKE pattern of a search for emails containing `search` (`\\` escapes), or undefined for
 * none. Emails are stored lower-case and the search is lowered, so the match is case-blind on
 * every engine whatever its LIKE does with case.
 */
export function searchPattern(search: string | undefined): string | undefined {
  const escaped = search
    ?.trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`);
  return escaped ? `%${escaped}%` : undefined;
}

/** Users by email (optionally filtered by a substring), with their tenant roles (and each tenant's
 * slug) and whether an admin disabled the account. */
export function listUsers(db: DbOrTx, input: ListUsersInput = {}) {
  const escaped = searchPattern(input.search);
  const rows = db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      createdAt: users.createdAt,
      disabledAt: users.disabledAt,
      disabledReason: users.disabledReason,
      emailVerifiedAt: users.emailVerifiedAt,
    })
    .from(users)
    .where(escaped ? sql`${users.email} LIKE ${escaped} ESCAPE '\\'` : undefined)
    .orderBy(asc(users.email))
    .limit(input.limit ?? 100)
    .all();
  if (rows.length === 0) return [];

  const roles = db
    .select({
      userId: tenantMembers.userId,
      tenantId: tenantMembers.tenantId,
      tenantSlug: tenants.slug,
      role: tenantMembers.role,
    })
    .from(tenantMembers)
    .innerJoin(tenants, eq(tenants.id, tenantMembers.tenantId))
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
      .map((r): { tenantId: string; tenantSlug: string; role: TenantRole } => ({
        tenantId: r.tenantId,
        tenantSlug: r.tenantSlug,
        role: r.role,
      })),
  }));
}
