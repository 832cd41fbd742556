import { MarksManager } from '../../components/marks/MarksManager.tsx';
import { useT } from '../../i18n/useT.ts';
import { trpc } from '../../lib/trpc.ts';

/** Platform marks (bare keys: `pro`); create and edit with the entitlements form. */
export function MarksTab() {
  const t = useT();
  const utils = trpc.useUtils();
  const marks = trpc.admin.marks.list.useQuery();
  const create = trpc.admin.marks.create.useMutation();
  const update = trpc.admin.marks.update.useMutation();
  return (
    <MarksManager
      title={t('marks.platformTitle')}
      marks={marks.data}
      loading={marks.isPending}
      error={marks.error}
      onRetry={() => void marks.refetch()}
      keyPrefix=""
      canEdit
      refillPreview
      onSave={async (input, markId) => {
        if (markId) await update.mutateAsync({ markId, ...input });
        else await create.mutateAsync(input);
        await Promise.all([
          utils.admin.marks.list.invalidate(),
          utils.admin.plans.list.invalidate(),
          utils.membership.invalidate(),
        ]);
      }}
    />
  );
}
