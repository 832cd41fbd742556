// PostgreSQL mirror of ../../schema/audit.ts (units and NULL meanings are documented there).
import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { int, timestampMs } from './columns.ts';

export const auditEvents = pgTable(
  'audit_events',
  {
    // SQLite's INTEGER PRIMARY KEY assigns the next rowid; an identity column does the same here.
    id: int().primaryKey().generatedByDefaultAsIdentity(),
    tenantId: text(),
    actorUserId: text(),
    actorLabel: text(),
    action: text().notNull(),
    subjectType: text().notNull(),
    subjectId: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>(),
    ip: text(),
    createdAt: timestampMs().notNull(),
  },
  (t) => [
    index('audit_events_subject_idx').on(t.subjectType, t.subjectId),
    index('audit_events_created_idx').on(t.createdAt),
  ],
);
