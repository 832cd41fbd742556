// The SQLite adapter of the catalog store: today's synchronous functions behind the port.
import type { Db } from '@tessera/db';
import { tenants } from '@tessera/db';
import { and, eq, inArray } from 'drizzle-orm';
import {
  createAssistant,
  listAssistants,
  updateAssistant,
} from '../../domain/assistants/assistants.ts';
import { createMark } from '../../domain/marks/create-mark.ts';
import { getMarkByKey } from '../../domain/marks/get-mark.ts';
import { listMarks } from '../../domain/marks/list-marks.ts';
import { updateMark } from '../../domain/marks/update-mark.ts';
import { listSubscribers } from '../../domain/memberships/list-subscribers.ts';
import { listModels, listProviders, saveModel, saveProvider } from '../../domain/models/models.ts';
import { listCatalog } from '../../domain/plans/list-catalog.ts';
import { createPlan, updatePlan } from '../../domain/plans/save-plan.ts';
import { seedDemoData } from '../../domain/seed/seed-demo.ts';
import { addTenantMember } from '../../domain/tenancy/add-tenant-member.ts';
import { createVendor } from '../../domain/tenancy/create-vendor.ts';
import { getVendor, getVendorBySlug } from '../../domain/tenancy/get-vendor.ts';
import { listTenantMembers } from '../../domain/tenancy/list-tenant-members.ts';
import { listVendors } from '../../domain/tenancy/list-vendors.ts';
import {
  getVendorCeiling,
  setVendorCeiling,
  setVendorOwner,
  setVendorSuspended,
} from '../../domain/tenancy/vendor-trust.ts';
import type { CatalogStore } from '../catalog-store.ts';

export function createSqliteCatalogStore(db: Db): CatalogStore {
  return {
    listCatalog: async (options) => listCatalog(db, options),

    listMarks: async (tenantId) => listMarks(db, tenantId),
    getMarkByKey: async (key) => getMarkByKey(db, key),
    createMark: async (input) => createMark(db, input),
    updateMark: async (input) => updateMark(db, input),

    createPlan: async (input) => createPlan(db, input),
    updatePlan: async (input) => updatePlan(db, input),

    listVendors: async (now) => listVendors(db, now),
    async vendorTenants(ids) {
      if (ids !== 'all' && ids.length === 0) return [];
      return db
        .select()
        .from(tenants)
        .where(
          and(
            eq(tenants.kind, 'vendor'),
            ids === 'all' ? undefined : inArray(tenants.id, [...ids]),
          ),
        )
        .all();
    },
    async isVendor(tenantId) {
      return (
        db
          .select({ id: tenants.id })
          .from(tenants)
          .where(and(eq(tenants.id, tenantId), eq(tenants.kind, 'vendor')))
          .get() !== undefined
      );
    },
    getVendor: async (tenantId) => getVendor(db, tenantId),
    getVendorBySlug: async (slug) => getVendorBySlug(db, slug),
    createVendor: async (input) => createVendor(db, input),
    listTenantMembers: async (tenantId) => listTenantMembers(db, tenantId),
    listSubscribers: async (input) => listSubscribers(db, input),
    addTenantMember: async (input) => addTenantMember(db, input),
    setVendorOwner: async (input) => setVendorOwner(db, input),
    getVendorCeiling: async (tenantId) => getVendorCeiling(db, tenantId),
    setVendorCeiling: async (input) => setVendorCeiling(db, input),
    setVendorSuspended: async (input) => setVendorSuspended(db, input),

    listModels: async () => listModels(db),
    saveModel: async (input) => saveModel(db, input),
    listProviders: async () => listProviders(db),
    saveProvider: async (input) => saveProvider(db, input),

    listAssistants: async (options) => listAssistants(db, options),
    createAssistant: async (input) => createAssistant(db, input),
    updateAssistant: async (input) => updateAssistant(db, input),

    seedDemo: async (now) => seedDemoData(db, now),
  };
}
