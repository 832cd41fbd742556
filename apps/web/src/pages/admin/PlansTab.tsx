import { PlansManager } from '../../components/plans/PlansManager.tsx';
import { useT } from '../../i18n/useT.ts';
import { PLATFORM_TENANT_ID } from '../../lib/plans.ts';
import { trpc } from '../../lib/trpc.ts';

/** Every tenant's plans; the platform's are edited here, vendors edit their own. */
export function PlansTab() {
  const t = useT();
  const utils = trpc.useUtils();
  const plans = trpc.admin.plans.list.useQuery();
  const marks = trpc.admin.marks.list.useQuery();
  const create = trpc.admin.plans.create.useMutation();
  const update = trpc.admin.plans.update.useMutation();
  return (
    <PlansManager
      title={t('plansTable.allTitle')}
      plans={plans.data}
      marks={marks.data ?? []}
      loading={plans.isPending}
      error={plans.error ?? marks.error}
      onRetry={() => void Promise.all([plans.refetch(), marks.refetch()])}
      showTenant
      canCreate
      canEdit={(plan) => plan.tenantId === PLATFORM_TENANT_ID}
      onSave={async (input, planId) => {
        if (planId) await update.mutateAsync({ planId, ...input });
        else await create.mutateAsync(input);
        await Promise.all([utils.admin.plans.list.invalidate(), utils.membership.invalidate()]);
      }}
    />
  );
}
