// PostgreSQL mirror of ../../schema/tenancy.ts (units and NULL meanings are documented there).
import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tenantKinds, tenantRoles } from '../../schema/tenancy.ts';
import { users } from './auth.ts';
import { slugCheck, timestampMs } from './columns.ts';

export const tenants = pgTable(
  'tenants',
  {
    id: text().primaryKey(),
    kind: text({ enum: tenantKinds }).notNull(),
    slug: text().notNull().unique(),
    name: text().notNull(),
    createdAt: timestampMs().notNull(),
    adminClaimedAt: timestampMs(),
    ceiling: jsonb().notNull().default({}).$type<Record<string, unknown>>(),
    suspendedAt: timestampMs(),
    suspendedReason: text(),
  },
  (t) => [
    check('tenants_kind_check', sql`${t.kind} in ('platform', 'vendor')`),
    check('tenants_slug_check', slugCheck(t.slug)),
  ],
);

export const tenantMembers = pgTable(
  'tenant_members',
  {
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text({ enum: tenantRoles }).notNull(),
    createdAt: timestampMs().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    index('tenant_members_user_idx').on(t.userId),
    check('tenant_members_role_check', sql`${t.role} in ('owner', 'admin', 'staff')`),
  ],
);
