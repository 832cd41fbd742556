import { PlansManager } from '../../components/plans/PlansManager.tsx';
import { useT } from '../../i18n/useT.ts';
import { trpc } from '../../lib/trpc.ts';
import { useVendor } from './vendorContext.ts';

/** A vendor's plans (active and not), each granting one of the vendor's marks. */
export function VendorPlansTab() {
  const t = useT();
  const { vendor, canManage } = useVendor();
  const utils = trpc.useUtils();
  const tenantId = vendor.id;
  const plans = trpc.vendor.plans.list.useQuery({ tenantId });
  const marks = trpc.vendor.marks.list.useQuery({ tenantId });
  const create = trpc.vendor.plans.create.useMutation();
  const update = trpc.vendor.plans.update.useMutation();
  return (
    <PlansManager
      title={t('plansTable.vendorTitle')}
      query={{
        data: plans.data,
        isPending: plans.isPending,
        error: plans.error ?? marks.error,
        refetch: () => Promise.all([plans.refetch(), marks.refetch()]),
      }}
      marks={marks.data ?? []}
      newPlanTenantId={tenantId}
      showTenant={false}
      canCreate={canManage}
      canEdit={() => canManage}
      onSave={async ({ slug, ...input }, plan) => {
        // A plan's slug is fixed once it exists: only a create sends one.
        if (plan) await update.mutateAsync({ tenantId, planId: plan.id, ...input });
        else await create.mutateAsync({ tenantId, slug, ...input });
        await Promise.all([
          utils.vendor.plans.list.invalidate({ tenantId }),
          utils.admin.plans.list.invalidate(),
          utils.membership.invalidate(),
        ]);
      }}
    />
  );
}
