// Audit on PostgreSQL: a lone append, and the admin list with the SQLite version's filters and
// labels. SQLite's LIKE ignores ASCII case; PostgreSQL's does not, hence ILIKE for the same matches.
import { auditEvents, marks, type PgDb, plans, tenants, users } from '@tessera/db/pg';
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  type AuditEntry,
  auditActionPrefix,
  auditEmailPattern,
  auditPage,
} from '../../../domain/audit/list-audit.ts';
import type { OpsStore } from '../../ops-store.ts';
import { recordAuditPg } from './in-transaction.ts';

const subjectUser = alias(users, 'subject_user');

export function pgAuditMethods(db: PgDb): Pick<OpsStore, 'recordAudit' | 'listAudit'> {
  return {
    recordAudit: (event) => recordAuditPg(db, event),

    async listAudit(filter) {
      const limit = filter.limit ?? 50;
      const emailPattern = auditEmailPattern(filter);
      const actionPrefix = auditActionPrefix(filter);
      const rows: AuditEntry[] = await db
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
        .leftJoin(
          marks,
          and(eq(auditEvents.subjectType, 'mark'), eq(marks.id, auditEvents.subjectId)),
        )
        .leftJoin(
          plans,
          and(eq(auditEvents.subjectType, 'plan'), eq(plans.id, auditEvents.subjectId)),
        )
        .leftJoin(
          tenants,
          and(eq(auditEvents.subjectType, 'tenant'), eq(tenants.id, auditEvents.subjectId)),
        )
        .where(
          and(
            filter.tenantId ? eq(auditEvents.tenantId, filter.tenantId) : undefined,
            actionPrefix ? sql`${auditEvents.action} ilike ${actionPrefix} escape '\\'` : undefined,
            filter.actorUserId ? eq(auditEvents.actorUserId, filter.actorUserId) : undefined,
            filter.subjectId ? eq(auditEvents.subjectId, filter.subjectId) : undefined,
            emailPattern
              ? or(
                  sql`${users.email} ilike ${emailPattern} escape '\\'`,
                  sql`${subjectUser.email} ilike ${emailPattern} escape '\\'`,
                )
              : undefined,
            filter.beforeId ? lt(auditEvents.id, filter.beforeId) : undefined,
          ),
        )
        .orderBy(desc(auditEvents.id))
        .limit(limit + 1);
      return auditPage(rows, limit);
    },
  };
}
