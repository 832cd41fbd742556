import { EditOutlined, LockOutlined, PlusOutlined, ShoppingOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Empty,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useLocale } from '../../i18n/useT.ts';
import { formatPlanPrice } from '../../lib/plans.ts';
import { testId } from '../../lib/testId.ts';
import type { MarkRow, PlanRow } from '../../lib/trpc.ts';
import { QueryError } from '../QueryError.tsx';
import { PlanDrawer, type PlanInput } from './PlanDrawer.tsx';

const ROW_PROPS = testId('plan-row');

/**
 * Plans in a table with a create/edit drawer; shared by the admin console (all tenants, platform
 * plans editable) and the vendor console. `canEdit(plan)` decides per row; `canCreate` the button.
 */
export function PlansManager({
  title,
  plans,
  marks,
  loading,
  error,
  onRetry,
  showTenant,
  canCreate,
  canEdit,
  onSave,
}: {
  title: string;
  plans: PlanRow[] | undefined;
  marks: MarkRow[];
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  showTenant: boolean;
  canCreate: boolean;
  canEdit: (plan: PlanRow) => boolean;
  onSave: (input: PlanInput, planId: string | null) => Promise<unknown>;
}) {
  const { t, locale } = useLocale();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<PlanRow | null>(null);
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);

  const openDrawer = (plan: PlanRow | null) => {
    setEditing(plan);
    setSaveError(null);
    setOpen(true);
  };
  const save = async (input: PlanInput) => {
    setSaving(true);
    setSaveError(null);
    try {
      await onSave(input, editing?.id ?? null);
      void message.success(editing ? t('planForm.saved') : t('planForm.created'));
      setOpen(false);
    } catch (caught) {
      setSaveError(caught);
    } finally {
      setSaving(false);
    }
  };

  const columns: TableColumnsType<PlanRow> = [
    {
      key: 'name',
      title: t('plansTable.name'),
      render: (_, plan) => (
        <div className="cell-stack">
          <Typography.Text strong>{plan.name}</Typography.Text>
          {showTenant && plan.tenantName ? (
            <Typography.Text type="secondary" className="cell-stack__sub">
              {plan.tenantName}
            </Typography.Text>
          ) : null}
        </div>
      ),
    },
    {
      key: 'mark',
      title: t('plansTable.mark'),
      render: (_, plan) => <Typography.Text code>{plan.markKey}</Typography.Text>,
    },
    {
      key: 'price',
      title: t('plansTable.price'),
      render: (_, plan) => formatPlanPrice(plan, t, locale),
    },
    {
      key: 'trial',
      title: t('plansTable.trial'),
      render: (_, plan) =>
        plan.trialDays > 0 ? (
          t('plansTable.trialDays', { days: plan.trialDays })
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      key: 'status',
      title: t('plansTable.status'),
      render: (_, plan) =>
        plan.active ? (
          <Tag color="green">{t('plansTable.active')}</Tag>
        ) : (
          <Tag>{t('plansTable.inactive')}</Tag>
        ),
    },
    { key: 'sort', title: t('plansTable.sort'), dataIndex: 'sortOrder', align: 'right' },
    {
      key: 'actions',
      title: t('common.actions'),
      align: 'right',
      render: (_, plan) =>
        canEdit(plan) ? (
          <Button
            size="small"
            icon={<EditOutlined />}
            onClick={() => openDrawer(plan)}
            data-testid="plan-edit"
          >
            {t('common.edit')}
          </Button>
        ) : (
          <Tooltip title={t('plansTable.readOnly')}>
            <LockOutlined className="muted" />
          </Tooltip>
        ),
    },
  ];

  return (
    <Card
      variant="borderless"
      title={title}
      extra={
        canCreate ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            disabled={marks.length === 0}
            onClick={() => openDrawer(null)}
            data-testid="plan-new"
          >
            {t('plansTable.new')}
          </Button>
        ) : null
      }
    >
      <QueryError error={error} onRetry={onRetry} />
      <Table
        rowKey="id"
        columns={columns}
        dataSource={plans}
        loading={loading}
        onRow={() => ROW_PROPS}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{
          emptyText: (
            <Empty
              image={<ShoppingOutlined className="empty-icon" />}
              description={
                canCreate && marks.length === 0 ? t('plansTable.needMark') : t('plansTable.empty')
              }
            />
          ),
        }}
      />
      <PlanDrawer
        open={open}
        plan={editing}
        marks={marks}
        saving={saving}
        error={saveError}
        onClose={() => setOpen(false)}
        onSubmit={(input) => void save(input)}
      />
    </Card>
  );
}
