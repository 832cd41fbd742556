// The PostgreSQL adapter of the catalog store (drizzle-orm's pg dialect over node-postgres). Each
// sub-area lives in ./catalog/; the validation, wording and ceiling rules are the domain's shared
// TypeScript, exactly what the SQLite adapter runs.
import type { PgDb } from '@tessera/db/pg';
import type { CatalogStore } from '../catalog-store.ts';
import { createPgCatalogReader } from './catalog/catalog-read.ts';
import {
  createMarkIn,
  createPlanPg,
  getMarkByKeyPg,
  listMarksPg,
  updateMarkPg,
  updatePlanPg,
} from './catalog/marks-plans.ts';
import {
  createAssistantPg,
  listAssistantsPg,
  listModelsPg,
  listProvidersPg,
  saveModelPg,
  saveProviderPg,
  updateAssistantPg,
} from './catalog/models-assistants.ts';
import { inTransaction } from './catalog/pg-support.ts';
import { seedDemoPg } from './catalog/seed.ts';
import {
  addTenantMemberPg,
  createVendorPg,
  getVendorBySlugPg,
  getVendorCeilingPg,
  getVendorPg,
  isVendorPg,
  listSubscribersPg,
  listTenantMembersPg,
  listVendorsPg,
  setVendorCeilingPg,
  setVendorOwnerPg,
  setVendorSuspendedPg,
  vendorTenantsPg,
} from './catalog/tenancy.ts';

export function createPgCatalogStore(db: PgDb): CatalogStore {
  return {
    listCatalog: createPgCatalogReader(db.$client),

    listMarks: (tenantId) => listMarksPg(db, tenantId),
    getMarkByKey: (key) => getMarkByKeyPg(db, key),
    createMark: (input) => inTransaction(db, (tx) => createMarkIn(tx, input)),
    updateMark: (input) => updateMarkPg(db, input),

    createPlan: (input) => createPlanPg(db, input),
    updatePlan: (input) => updatePlanPg(db, input),

    listVendors: (now) => listVendorsPg(db, now),
    vendorTenants: (ids) => vendorTenantsPg(db, ids),
    isVendor: (tenantId) => isVendorPg(db, tenantId),
    getVendor: (tenantId) => getVendorPg(db, tenantId),
    getVendorBySlug: (slug) => getVendorBySlugPg(db, slug),
    createVendor: (input) => createVendorPg(db, input),
    listTenantMembers: (tenantId) => listTenantMembersPg(db, tenantId),
    listSubscribers: (input) => listSubscribersPg(db, input),
    addTenantMember: (input) => addTenantMemberPg(db, input),
    setVendorOwner: (input) => setVendorOwnerPg(db, input),
    getVendorCeiling: (tenantId) => getVendorCeilingPg(db, tenantId),
    setVendorCeiling: (input) => setVendorCeilingPg(db, input),
    setVendorSuspended: (input) => setVendorSuspendedPg(db, input),

    listModels: () => listModelsPg(db),
    saveModel: (input) => saveModelPg(db, input),
    listProviders: () => listProvidersPg(db),
    saveProvider: (input) => saveProviderPg(db, input),

    listAssistants: (options) => listAssistantsPg(db, options),
    createAssistant: (input) => createAssistantPg(db, input),
    updateAssistant: (input) => updateAssistantPg(db, input),

    seedDemo: (now) => seedDemoPg(db, now),
  };
}
