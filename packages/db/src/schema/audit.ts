// Audit events: who did what to whom, written in the same transaction as the change.
// `actorUserId` NULL = the system (CLI without a user, scheduler, migration).
// `tenantId` NULL = not tied to a tenant. `data` is a JSON object with action-specific details.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const auditEvents = sqliteTable(
  'audit_events',
  {
    // INTEGER PRIMARY KEY without AUTOINCREMENT: ids still only grow in an append-only table, and no
    // sqlite_sequence row is rewritten on every insert.
    id: integer().primaryKey(),
    tenantId: text(),
    actorUserId: text(),
    // Who acted when no user did, or through which tool: `cli:<os user>`, `scheduler`. NULL = a
    // signed-in user through the app.
    actorLabel: text(),
    action: text().notNull(),
    subjectType: text().notNull(),
    subjectId: text().notNull(),
    data: text({ mode: 'json' }).$type<Record<string, unknown>>(),
    ip: text(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('audit_events_subject_idx').on(t.subjectType, t.subjectId),
    index('audit_events_created_idx').on(t.createdAt),
  ],
);
export type AuditEvent = typeof auditEvents.$inferSelect;
export type NewAuditEvent = typeof auditEvents.$inferInsert;
