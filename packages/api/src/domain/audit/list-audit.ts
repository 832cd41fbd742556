import type { DbOrTx } from '@tessera/db';
import { auditEvents, marks, plans, tenants, users } from '@tessera/db';
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';

export interface AuditFilter {
  tenantId?: string;
  action?: string;
  actorUserId?: string;
  subjectId?: string;
  /** Part of an email: events whose actor, or whose subject user, has a matching email. */
  email?: string;
  /** Keyset pagination: events older than this id. */
  beforeId?: number;
  limit?: number;
}

/** One row of the admin audit list. */
export interface AuditEntry {
  id: number;
  tenantId: string | null;
  actorUserId: string | null;
  actorEmail: string | null;
  actorName: string | null;
  actorLabel: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  subjectLabel: string | null;
  data: Record<string, unknown> | null;
  ip: string | null;
  createdAt: Date;
}

export interface AuditPage {
  events: AuditEntry[];
  /** Pass as `beforeId` for the next (older) page; null on the last one. */
  nextBeforeId: number | null;
}

const subjectUser = alias(users, 'subject_user');

/** `%`, `_` and `\` match themselves (LIKE … ESCAPE '\'). Shared with the PostgreSQL adapter. */
export const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The filter's email as a LIKE pattern (lower case, escaped), or null. */
export function auditEmailPattern(filter: AuditFilter): string | null {
  const email = filter.email?.trim().toLowerCase();
  return email ? `%${likeEscaped(email)}%` : null;
}

/**
 * The filter's action as a LIKE prefix pattern (escaped: `two_factor.` means the underscore, not
 * any character), or null.
 */
export function auditActionPrefix(filter: AuditFilter): string | null {
  return filter.action ? `${likeEscaped(filter.action)}%` : null;
}

/** The page of `limit` and the cursor of the next one, from `limit + 1` rows newest first. */
export function auditPage(rows: AuditEntry[], limit: number): AuditPage {
  const page = rows.slice(0, limit);
  return { events: page, nextBeforeId: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

/**
 * Newest first, with names for display: the actor's email and name (or the tool's label, e.g.
 * `cli:ada`), and a readable label for the subject when it is a user (email), a mark
 * (`name (key)`), a plan (name) or a tenant (`name (slug)`). `action` matches as a prefix
 * (`membership.`).
 */
export function listAudit(db: DbOrTx, filter: AuditFilter): AuditPage {
  const limit = filter.limit ?? 50;
  const emailPattern = auditEmailPattern(filter);
  const actionPrefix = auditActionPrefix(filter);
  const rows = db
    .select({
      id: auditEvents.id,
      tenantId: auditEvents.tenantId,
      actorUserId: auditEvents.actorUserId,
      actorEmail: users.email,
      actorName: users.displayName,
      actorLabel: auditEvents.actorLabel,
      action: auditEvents.action,
      subjectType: auditEvents.subjectType,
      subjectId: auditEvents.subjectId,
      subjectLabel: sql<string | null>`case ${auditEvents.subjectType}
        when 'user' then ${subjectUser.email}
        when 'mark' then ${marks.name} || ' (' || ${marks.key} || ')'
        when 'plan' then ${plans.name}
        when 'tenant' then ${tenants.name} || ' (' || ${tenants.slug} || ')'
        end`,
      data: auditEvents.data,
      ip: auditEvents.ip,
      createdAt: auditEvents.createdAt,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .leftJoin(
      subjectUser,
      and(eq(auditEvents.subjectType, 'user'), eq(subjectUser.id, auditEvents.subjectId)),
    )
    .leftJoin(marks, and(eq(auditEvents.subjectType, 'mark'), eq(marks.id, auditEvents.subjectId)))
    .leftJoin(plans, and(eq(auditEvents.subjectType, 'plan'), eq(plans.id, auditEvents.subjectId)))
    .leftJoin(
      tenants,
      and(eq(auditEvents.subjectType, 'tenant'), eq(tenants.id, auditEvents.subjectId)),
    )
    .where(
      and(
        filter.tenantId ? eq(auditEvents.tenantId, filter.tenantId) : undefined,
        actionPrefix ? sql`${auditEvents.action} like ${actionPrefix} escape '\\'` : undefined,
        filter.actorUserId ? eq(auditEvents.actorUserId, filter.actorUserId) : undefined,
        filter.subjectId ? eq(auditEvents.subjectId, filter.subjectId) : undefined,
        emailPattern
          ? or(
              sql`${users.email} like ${emailPattern} escape '\\'`,
              sql`${subjectUser.email} like ${emailPattern} escape '\\'`,
            )
          : undefined,
        filter.beforeId ? lt(auditEvents.id, filter.beforeId) : undefined,
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(limit + 1)
    .all();
  return auditPage(rows, limit);
}
