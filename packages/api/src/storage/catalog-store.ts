// The storage port of the catalog (docs/decisions/028, 034): the plan catalog members see, marks,
// plans, vendors (tenancy, ceilings, suspension: decision 012), models and providers, assistants
// and the demo seed. One async method per whole transaction or read; rows and results are plain
// values of the domain's types, the same on every engine. Validation, wording and the ceiling
// rules are the domain's shared TypeScript; an adapter only reads and writes.
import type { Tenant } from '@tessera/db';
import type {
  CreateAssistantInput,
  createAssistant,
  ListAssistantsOptions,
  listAssistants,
  UpdateAssistantInput,
} from '../domain/assistants/assistants.ts';
import type { CreateMarkInput, createMark } from '../domain/marks/create-mark.ts';
import type { getMarkByKey } from '../domain/marks/get-mark.ts';
import type { listMarks } from '../domain/marks/list-marks.ts';
import type { UpdateMarkInput } from '../domain/marks/update-mark.ts';
import type {
  ListSubscribersInput,
  listSubscribers,
} from '../domain/memberships/list-subscribers.ts';
import type {
  listModels,
  listProviders,
  SaveModelInput,
  SaveProviderInput,
  saveProvider,
} from '../domain/models/models.ts';
import type { CatalogRow } from '../domain/plans/catalog-statements.ts';
import type { ListCatalogOptions } from '../domain/plans/list-catalog.ts';
import type { CreatePlanInput, createPlan, UpdatePlanInput } from '../domain/plans/save-plan.ts';
import type { AddTenantMemberInput } from '../domain/tenancy/add-tenant-member.ts';
import type { Ceiling, CeilingInput } from '../domain/tenancy/ceiling.ts';
import type { CreateVendorInput } from '../domain/tenancy/create-vendor.ts';
import type { listTenantMembers } from '../domain/tenancy/list-tenant-members.ts';
import type { listVendors } from '../domain/tenancy/list-vendors.ts';
import type { VendorActor } from '../domain/tenancy/vendor-trust.ts';

export type MarkListRow = ReturnType<typeof listMarks>[number];
export type MarkRef = ReturnType<typeof getMarkByKey>;
export type SavedMark = ReturnType<typeof createMark>;
export type SavedPlan = ReturnType<typeof createPlan>;
export type VendorSummary = ReturnType<typeof listVendors>[number];
export type TenantMemberRow = ReturnType<typeof listTenantMembers>[number];
export type SubscriberRow = ReturnType<typeof listSubscribers>[number];
export type TenantRoleChange = { userId: string; email: string; role: 'owner' | 'admin' | 'staff' };
export type ModelRow = ReturnType<typeof listModels>[number];
export type ProviderRow = ReturnType<typeof listProviders>[number];
export type SavedProvider = ReturnType<typeof saveProvider>;
export type AssistantListRow = ReturnType<typeof listAssistants>[number];
export type AssistantRow = ReturnType<typeof createAssistant>;
export type Suspension = { suspendedAt: Date | null; suspendedReason: string | null };

export interface CatalogStore {
  /**
   * Plans with their mark and tenant (`listCatalog`'s answer). Served from a per-process cache
   * that `app_meta.catalog_epoch` invalidates on every engine (decision 031).
   */
  listCatalog(options?: ListCatalogOptions): Promise<CatalogRow[]>;

  /** A tenant's marks, or every tenant's (platform first) when `tenantId` is null. */
  listMarks(tenantId: string | null): Promise<MarkListRow[]>;
  /** A mark by its platform-wide key; NOT_FOUND otherwise. */
  getMarkByKey(key: string): Promise<MarkRef>;
  /** Within the tenant's ceiling and the catalog; a taken key is a CONFLICT; audited. */
  createMark(input: CreateMarkInput): Promise<SavedMark>;
  /** As createMark; a changed key or entitlements also appends a broadcast member event. */
  updateMark(input: UpdateMarkInput): Promise<SavedMark>;

  createPlan(input: CreatePlanInput): Promise<SavedPlan>;
  updatePlan(input: UpdatePlanInput): Promise<SavedPlan>;

  /** Every vendor with its owner, counts and active subscribers at `now`. */
  listVendors(now: Date): Promise<VendorSummary[]>;
  /** Vendor tenants: those of `ids`, or every vendor with 'all'. */
  vendorTenants(ids: readonly string[] | 'all'): Promise<Tenant[]>;
  /** Whether `tenantId` is a vendor tenant. */
  isVendor(tenantId: string): Promise<boolean>;
  /** A vendor by id; the platform and unknown ids are NOT_FOUND. */
  getVendor(tenantId: string): Promise<Tenant>;
  /** A vendor by slug; NOT_FOUND otherwise. */
  getVendorBySlug(slug: string): Promise<Tenant>;
  createVendor(input: CreateVendorInput): Promise<Tenant>;
  listTenantMembers(tenantId: string): Promise<TenantMemberRow[]>;
  /** Who holds or held the tenant's marks (the vendor console; latest change first, at most 500). */
  listSubscribers(input: ListSubscribersInput): Promise<SubscriberRow[]>;
  /** Adds an admin/staff member or changes their role; an owner's role is kept (FORBIDDEN). */
  addTenantMember(input: AddTenantMemberInput): Promise<TenantRoleChange>;
  /** Makes an account the owner; the previous owner stays on as an admin. */
  setVendorOwner(
    input: VendorActor & { tenantId: string; email: string },
  ): Promise<TenantRoleChange>;
  getVendorCeiling(tenantId: string): Promise<Ceiling>;
  /** Replaces the ceiling, with a broadcast member event and the audit row in its transaction. */
  setVendorCeiling(
    input: VendorActor & { tenantId: string; ceiling: CeilingInput },
  ): Promise<Ceiling>;
  /** Suspends or reinstates, with a broadcast member event and the audit row. */
  setVendorSuspended(
    input: VendorActor & { tenantId: string; suspended: boolean; reason?: string },
  ): Promise<Suspension>;

  listModels(): Promise<ModelRow[]>;
  saveModel(input: SaveModelInput): Promise<ModelRow>;
  listProviders(): Promise<ProviderRow[]>;
  saveProvider(input: SaveProviderInput): Promise<SavedProvider>;

  listAssistants(options?: ListAssistantsOptions): Promise<AssistantListRow[]>;
  createAssistant(input: CreateAssistantInput): Promise<AssistantRow>;
  updateAssistant(input: UpdateAssistantInput): Promise<AssistantRow>;

  /** Seeds the demo catalog once per database; false when it was already seeded. */
  seedDemo(now: Date): Promise<boolean>;
}
