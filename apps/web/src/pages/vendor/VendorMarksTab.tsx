import { MarksManager } from '../../components/marks/MarksManager.tsx';
import { useT } from '../../i18n/useT.ts';
import { trpc } from '../../lib/trpc.ts';
import { useVendor } from './vendorContext.ts';

/** A vendor's marks; keys are qualified with the vendor's slug (`acme:writer`). */
export function VendorMarksTab() {
  const t = useT();
  const { vendor, canManage } = useVendor();
  const utils = trpc.useUtils();
  const tenantId = vendor.id;
  const marks = trpc.vendor.marks.list.useQuery({ tenantId });
  const create = trpc.vendor.marks.create.useMutation();
  const update = trpc.vendor.marks.update.useMutation();
  return (
    <MarksManager
      title={t('marks.vendorTitle')}
      marks={marks.data}
      loading={marks.isPending}
      error={marks.error}
      onRetry={() => void marks.refetch()}
      keyPrefix={`${vendor.slug}:`}
      canEdit={canManage}
      onSave={async (input, markId) => {
        if (markId) await update.mutateAsync({ tenantId, markId, ...input });
        else await create.mutateAsync({ tenantId, ...input });
        await Promise.all([
          utils.vendor.marks.list.invalidate({ tenantId }),
          utils.vendor.plans.list.invalidate({ tenantId }),
          utils.membership.invalidate(),
        ]);
      }}
    />
  );
}
