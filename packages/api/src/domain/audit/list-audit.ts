import type { DbOrTx } from '@tessera/db';
import { auditEvents, users } from '@tessera/db';
import { and, desc, eq, like, lt } from 'drizzle-orm';

export interface AuditFilter {
  tenantId?: string;
  action?: string;
  actorUserId?: string;
  subjectId?: string;
  /** Keyset pagination: events older than this id. */
  beforeId?: number;
  limit?: number;
}

/** Newest first, with the actor's email for display. `action` matches as a prefix (`membership.`). */
export function listAudit(db: DbOrTx, filter: AuditFilter) {
  const limit = filter.limit ?? 50;
  const rows = db
    .select({
      id: auditEvents.id,
      tenantId: auditEvents.tenantId,
      actorUserId: auditEvents.actorUserId,
      actorEmail: users.email,
      action: auditEvents.action,
      subjectType: auditEvents.subjectType,
      subjectId: auditEvents.subjectId,
      data: auditEvents.data,
      ip: auditEvents.ip,
      createdAt: auditEvents.createdAt,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(
      and(
        filter.tenantId ? eq(auditEvents.tenantId, filter.tenantId) : undefined,
        filter.action
          ? like(auditEvents.action, `${filter.action.replace(/[\\%_]/g, '')}%`)
          : undefined,
        filter.actorUserId ? eq(auditEvents.actorUserId, filter.actorUserId) : undefined,
        filter.subjectId ? eq(auditEvents.subjectId, filter.subjectId) : undefined,
        filter.beforeId ? lt(auditEvents.id, filter.beforeId) : undefined,
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  return { events: page, nextBeforeId: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
