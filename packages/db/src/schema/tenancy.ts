// Tenants: exactly one `platform` tenant (seeded by migration, id `platform`) and any number of
// `vendor` tenants. Users are global; a tenant's members hold one role each.

import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth.ts';

export const PLATFORM_TENANT_ID = 'platform';
export const tenantKinds = ['platform', 'vendor'] as const;
export const tenantRoles = ['owner', 'admin', 'staff'] as const;
export type TenantKind = (typeof tenantKinds)[number];
export type TenantRole = (typeof tenantRoles)[number];

export const tenants = sqliteTable(
  'tenants',
  {
    id: text().primaryKey(),
    kind: text({ enum: tenantKinds }).notNull(),
    slug: text().notNull().unique(),
    name: text().notNull(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
    // Platform only: set once, by the first account ever created, which becomes the owner.
    // NULL means nobody has claimed it yet.
    adminClaimedAt: integer({ mode: 'timestamp_ms' }),
    // Vendors only: what the platform delegates (an entitlements object plus `trialDays`, validated
    // by the ceiling schema in packages/api). `{}` grants nothing of the platform's: no models, no
    // API access, no credits, no trials. Only platform admins write it.
    ceiling: text({ mode: 'json' }).notNull().default(sql`'{}'`).$type<Record<string, unknown>>(),
    // Vendors only: set while the platform has suspended the vendor (its marks grant nothing;
    // nothing is deleted). NULL = not suspended.
    suspendedAt: integer({ mode: 'timestamp_ms' }),
    suspendedReason: text(),
  },
  (t) => [
    check('tenants_kind_check', sql`${t.kind} in ('platform', 'vendor')`),
    check(
      'tenants_slug_check',
      sql`length(${t.slug}) between 1 and 48 and ${t.slug} not glob '*[^a-z0-9-]*'`,
    ),
  ],
);
export type Tenant = typeof tenants.$inferSelect;

export const tenantMembers = sqliteTable(
  'tenant_members',
  {
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text({ enum: tenantRoles }).notNull(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    index('tenant_members_user_idx').on(t.userId),
    check('tenant_members_role_check', sql`${t.role} in ('owner', 'admin', 'staff')`),
  ],
);
export type TenantMember = typeof tenantMembers.$inferSelect;
