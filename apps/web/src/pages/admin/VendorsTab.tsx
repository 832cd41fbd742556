import { SafetyCertificateOutlined, ShopOutlined } from '@ant-design/icons';
import { App, Button, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { ListEditor } from '../../components/editor/ListEditor.tsx';
import { useEditor } from '../../components/editor/useEditor.ts';
import { useLocale } from '../../i18n/useT.ts';
import { describeError } from '../../lib/errorMessages.ts';
import { toAppError } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { trpc, type VendorRow } from '../../lib/trpc.ts';
import { CeilingDrawer, type CeilingInput, type CeilingTarget } from './CeilingDrawer.tsx';
import { CreateVendorModal } from './CreateVendorModal.tsx';
import { VendorActions } from './VendorActions.tsx';

/**
 * Vendor tenants: owner, whether suspended, how much they sell; the platform creates them, sets
 * their ceiling, suspends or reinstates them, names their owner and opens their console.
 */
export function VendorsTab() {
  const { t, locale, lookup } = useLocale();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const vendors = trpc.admin.vendors.list.useQuery();
  const setCeiling = trpc.admin.vendors.setCeiling.useMutation();
  const [creating, setCreating] = useState(false);
  const ceilingEditor = useEditor<CeilingTarget, CeilingInput>({
    save: async (ceiling, target) => {
      if (!target) return;
      await setCeiling.mutateAsync({ tenantId: target.id, ceiling });
      await Promise.all([
        utils.admin.vendors.ceiling.invalidate({ tenantId: target.id }),
        utils.vendor.ceiling.invalidate({ tenantId: target.id }),
        utils.membership.invalidate(),
      ]);
    },
    messages: { created: t('ceiling.saved'), saved: t('ceiling.saved') },
  });
  // The drawer opens on the stored ceiling, so it is fetched first (cached for a reopen).
  const editCeiling = (vendor: VendorRow) =>
    utils.admin.vendors.ceiling.fetch({ tenantId: vendor.id }).then(
      (ceiling) => ceilingEditor.openFor({ id: vendor.id, vendor, ceiling }),
      (error: unknown) => void message.error(describeError(toAppError(error), lookup, locale)),
    );

  const columns: TableColumnsType<VendorRow> = [
    {
      key: 'name',
      title: t('vendors.name'),
      render: (_, v) => (
        <div className="cell-stack">
          <Typography.Text strong>{v.name}</Typography.Text>
          <Typography.Text code className="cell-stack__sub">
            {v.slug}
          </Typography.Text>
        </div>
      ),
    },
    {
      key: 'owner',
      title: t('vendors.owner'),
      render: (_, v) => (
        <span data-testid="vendor-owner-email">
          {v.ownerEmail ?? <span className="muted">{t('vendors.noOwner')}</span>}
        </span>
      ),
    },
    {
      key: 'status',
      title: t('vendors.col.status'),
      render: (_, v) =>
        v.suspendedAt ? (
          <Tooltip title={v.suspendedReason ?? formatDateTime(v.suspendedAt, locale)}>
            <Tag color="red" data-testid="vendor-suspended">
              {t('vendors.suspended')}
            </Tag>
          </Tooltip>
        ) : (
          <Tag color="green">{t('vendors.active')}</Tag>
        ),
    },
    {
      key: 'counts',
      title: t('vendors.col.counts'),
      render: (_, v) =>
        t('vendors.counts', { marks: v.marks, plans: v.plans, subscribers: v.activeSubscribers }),
    },
    {
      key: 'created',
      title: t('admin.col.created'),
      render: (_, v) => formatDateTime(v.createdAt, locale),
    },
  ];

  return (
    <ListEditor
      title={t('vendors.title')}
      query={vendors}
      columns={columns}
      testIdPrefix="vendor"
      rowAttributes={(v) => ({ 'data-vendor-slug': v.slug })}
      empty={{ icon: <ShopOutlined className="empty-icon" />, text: t('vendors.empty') }}
      create={{ label: t('vendors.new'), onClick: () => setCreating(true) }}
      actionsWidth={230}
      rowActions={(v) => (
        <>
          <Button
            size="small"
            icon={<SafetyCertificateOutlined />}
            onClick={() => void editCeiling(v)}
            data-testid="vendor-edit-ceiling"
          >
            {t('ceiling.edit')}
          </Button>
          <VendorActions vendor={v} />
        </>
      )}
    >
      <CeilingDrawer editor={ceilingEditor} />
      <CreateVendorModal open={creating} onClose={() => setCreating(false)} />
    </ListEditor>
  );
}
