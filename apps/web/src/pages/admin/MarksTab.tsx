import { Select } from 'antd';
import { useMemo, useState } from 'react';
import { MarksManager } from '../../components/marks/MarksManager.tsx';
import { useCatalogPerTenant } from '../../components/marks/useEntitlementCatalog.ts';
import { useT } from '../../i18n/useT.ts';
import { groupByTenant, PLATFORM_TENANT_ID } from '../../lib/plans.ts';
import { trpc } from '../../lib/trpc.ts';

const ALL = '*';

/**
 * Every tenant's marks, filterable by tenant. New marks are the platform's (bare keys: `pro`);
 * a vendor's mark is edited here with its tenant named; its pickers offer only what that vendor's
 * ceiling delegates (and the server refuses what is over it, on the field).
 */
export function MarksTab() {
  const t = useT();
  const utils = trpc.useUtils();
  const marks = trpc.admin.marks.list.useQuery({ all: true });
  const create = trpc.admin.marks.create.useMutation();
  const update = trpc.admin.marks.update.useMutation();
  const [tenant, setTenant] = useState(ALL);
  const tenants = useMemo(() => groupByTenant(marks.data ?? []), [marks.data]);
  const vendorIds = useMemo(
    () => tenants.filter((g) => g.tenantId !== PLATFORM_TENANT_ID).map((g) => g.tenantId),
    [tenants],
  );
  const catalogFor = useCatalogPerTenant(vendorIds);
  const shown = useMemo(
    () => (tenant === ALL ? marks.data : marks.data?.filter((m) => m.tenantId === tenant)),
    [marks.data, tenant],
  );

  return (
    <MarksManager
      title={t('marks.allTitle')}
      query={{
        data: shown,
        isPending: marks.isPending,
        error: marks.error,
        refetch: marks.refetch,
      }}
      catalog={(mark) => catalogFor(mark?.tenantId ?? null)}
      showTenant
      canCreate
      canEdit={() => true}
      refillPreview
      toolbar={
        <Select
          value={tenant}
          onChange={setTenant}
          className="list-filter"
          data-testid="mark-tenant-filter"
          options={[
            { value: ALL, label: t('marks.allTenants') },
            ...tenants.map((g) => ({ value: g.tenantId, label: g.tenantName })),
          ]}
        />
      }
      onSave={async (input, mark) => {
        if (mark) {
          const tenantId = mark.tenantId === PLATFORM_TENANT_ID ? undefined : mark.tenantId;
          await update.mutateAsync({ markId: mark.id, tenantId, ...input });
        } else await create.mutateAsync(input);
        await Promise.all([
          utils.admin.marks.list.invalidate(),
          utils.admin.plans.list.invalidate(),
          utils.vendor.marks.list.invalidate(),
          utils.membership.invalidate(),
        ]);
      }}
    />
  );
}
