import { Flex } from 'antd';
import { MarksManager } from '../../components/marks/MarksManager.tsx';
import { useEntitlementCatalog } from '../../components/marks/useEntitlementCatalog.ts';
import { useT } from '../../i18n/useT.ts';
import { trpc } from '../../lib/trpc.ts';
import { CeilingCard } from './CeilingCard.tsx';
import { useVendor } from './vendorContext.ts';

const NOTHING = { models: [], plugins: [] };

/**
 * A vendor's marks (keys qualified with the vendor's slug: `acme:writer`), with the ceiling they
 * must stay within beside them; the editor offers only the models and plugins the ceiling has.
 */
export function VendorMarksTab() {
  const t = useT();
  const { vendor, canManage } = useVendor();
  const utils = trpc.useUtils();
  const tenantId = vendor.id;
  const marks = trpc.vendor.marks.list.useQuery({ tenantId });
  const ceiling = trpc.vendor.ceiling.useQuery({ tenantId });
  const create = trpc.vendor.marks.create.useMutation();
  const update = trpc.vendor.marks.update.useMutation();
  // Until the ceiling loads the pickers offer nothing rather than everything.
  const catalog = useEntitlementCatalog(ceiling.data ?? NOTHING);
  return (
    <Flex vertical gap={16}>
      <CeilingCard
        ceiling={ceiling.data}
        loading={ceiling.isPending}
        error={ceiling.error}
        onRetry={() => void ceiling.refetch()}
      />
      <MarksManager
        title={t('marks.vendorTitle')}
        query={marks}
        keyPrefix={() => `${vendor.slug}:`}
        catalog={() => catalog}
        canCreate={canManage}
        canEdit={() => canManage}
        onSave={async (input, mark) => {
          if (mark) await update.mutateAsync({ tenantId, markId: mark.id, ...input });
          else await create.mutateAsync({ tenantId, ...input });
          await Promise.all([
            utils.vendor.marks.list.invalidate({ tenantId }),
            utils.vendor.plans.list.invalidate({ tenantId }),
            utils.admin.marks.list.invalidate(),
            utils.membership.invalidate(),
          ]);
        }}
      />
    </Flex>
  );
}
