import { PlansManager } from '../../components/plans/PlansManager.tsx';
import { useT } from '../../i18n/useT.ts';
import { PLATFORM_TENANT_ID } from '../../lib/plans.ts';
import { trpc } from '../../lib/trpc.ts';

/**
 * Every tenant's plans. New plans are the platform's; any plan is editable, a vendor's with its
 * `tenantId` (its trial still within the vendor's ceiling, checked by the server).
 */
export function PlansTab() {
  const t = useT();
  const utils = trpc.useUtils();
  const plans = trpc.admin.plans.list.useQuery();
  const marks = trpc.admin.marks.list.useQuery({ all: true });
  const create = trpc.admin.plans.create.useMutation();
  const update = trpc.admin.plans.update.useMutation();
  return (
    <PlansManager
      title={t('plansTable.allTitle')}
      query={{
        data: plans.data,
        isPending: plans.isPending,
        error: plans.error ?? marks.error,
        refetch: () => Promise.all([plans.refetch(), marks.refetch()]),
      }}
      marks={marks.data ?? []}
      newPlanTenantId={PLATFORM_TENANT_ID}
      showTenant
      canCreate
      canEdit={() => true}
      onSave={async ({ slug, ...input }, plan) => {
        if (plan) {
          const tenantId = plan.tenantId === PLATFORM_TENANT_ID ? undefined : plan.tenantId;
          await update.mutateAsync({ planId: plan.id, tenantId, ...input });
        } else await create.mutateAsync({ slug, ...input });
        await Promise.all([
          utils.admin.plans.list.invalidate(),
          utils.vendor.plans.list.invalidate(),
          utils.membership.invalidate(),
        ]);
      }}
    />
  );
}
