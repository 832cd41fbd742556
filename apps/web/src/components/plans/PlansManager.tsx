import { ShoppingOutlined } from '@ant-design/icons';
import { type TableColumnsType, Tag, Typography } from 'antd';
import { useLocale } from '../../i18n/useT.ts';
import { formatPlanPrice } from '../../lib/plans.ts';
import type { MarkRow, PlanRow } from '../../lib/trpc.ts';
import { ListEditor, type ListQuery } from '../editor/ListEditor.tsx';
import { useEditor } from '../editor/useEditor.ts';
import { PlanDrawer, type PlanInput } from './PlanDrawer.tsx';

/**
 * Plans in a ListEditor with the plan drawer; shared by the admin console (every tenant's plans)
 * and the vendor console. `canEdit(plan)` decides per row; `marks` are offered by tenant.
 */
export function PlansManager({
  title,
  query,
  marks,
  newPlanTenantId,
  showTenant,
  canCreate,
  canEdit,
  onSave,
}: {
  title: string;
  query: ListQuery<PlanRow>;
  /** Marks a plan may grant: a plan's own tenant's (the server refuses another's). */
  marks: readonly MarkRow[];
  /** The tenant a new plan belongs to. */
  newPlanTenantId: string;
  showTenant: boolean;
  canCreate: boolean;
  canEdit: (plan: PlanRow) => boolean;
  onSave: (input: PlanInput, plan: PlanRow | null) => Promise<unknown>;
}) {
  const { t, locale } = useLocale();
  const editor = useEditor<PlanRow, PlanInput>({
    save: onSave,
    messages: { created: t('planForm.created'), saved: t('planForm.saved') },
  });
  const marksOf = (tenantId: string) => marks.filter((mark) => mark.tenantId === tenantId);
  const newPlanMarks = marksOf(newPlanTenantId);

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
      key: 'key',
      title: t('plansTable.key'),
      render: (_, plan) => (
        <Typography.Text code data-testid="plan-key">
          {plan.key}
        </Typography.Text>
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
      key: 'stripe',
      title: t('plansTable.stripePrice'),
      render: (_, plan) =>
        plan.stripePriceId ? (
          <Typography.Text code copyable data-testid="plan-stripe-price-cell">
            {plan.stripePriceId}
          </Typography.Text>
        ) : (
          <span className="muted">{t('plansTable.notLinked')}</span>
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
  ];

  return (
    <ListEditor
      title={title}
      query={query}
      columns={columns}
      testIdPrefix="plan"
      rowAttributes={(plan) => ({ 'data-tenant-id': plan.tenantId })}
      empty={{
        icon: <ShoppingOutlined className="empty-icon" />,
        text:
          canCreate && newPlanMarks.length === 0 ? t('plansTable.needMark') : t('plansTable.empty'),
      }}
      create={
        canCreate
          ? {
              label: t('plansTable.new'),
              onClick: () => editor.openFor(null),
              disabled: newPlanMarks.length === 0,
            }
          : undefined
      }
      edit={{ onClick: editor.openFor, allowed: canEdit, readOnlyHint: t('plansTable.readOnly') }}
    >
      <PlanDrawer
        editor={editor}
        marksFor={(plan) => (plan ? marksOf(plan.tenantId) : newPlanMarks)}
      />
    </ListEditor>
  );
}
