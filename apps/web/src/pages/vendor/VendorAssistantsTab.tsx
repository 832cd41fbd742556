import { EditOutlined, EyeOutlined, PlusOutlined, RobotOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { QueryError } from '../../components/QueryError.tsx';
import { useT } from '../../i18n/useT.ts';
import { modelDisplayName, type VendorAssistantRow } from '../../lib/assistants.ts';
import { testId } from '../../lib/testId.ts';
import { trpc } from '../../lib/trpc.ts';
import { AssistantDrawer } from './AssistantDrawer.tsx';
import { useVendor } from './vendorContext.ts';
import '../../models.css';

const ROW_PROPS = testId('assistant-row');

/**
 * A vendor's assistants: a system prompt on a model, usable by members who hold one of the
 * vendor's marks. Owners and admins create and edit; staff can open each one read-only.
 */
export function VendorAssistantsTab() {
  const t = useT();
  const { vendor, canManage } = useVendor();
  const tenantId = vendor.id;
  const assistants = trpc.vendor.assistants.list.useQuery({ tenantId });
  const marks = trpc.vendor.marks.list.useQuery({ tenantId });
  const models = trpc.chat.models.useQuery();
  const [editing, setEditing] = useState<VendorAssistantRow | null>(null);
  const [open, setOpen] = useState(false);
  const openDrawer = (assistant: VendorAssistantRow | null) => {
    setEditing(assistant);
    setOpen(true);
  };
  const markList = marks.data ?? [];
  const modelList = models.data ?? [];
  const needMark = canManage && marks.isSuccess && markList.length === 0;

  const columns: TableColumnsType<VendorAssistantRow> = [
    {
      key: 'name',
      title: t('assistants.col.name'),
      render: (_, assistant) => (
        <div className="cell-stack">
          <Typography.Text strong>{assistant.name}</Typography.Text>
          {assistant.description ? (
            <Typography.Text type="secondary" ellipsis className="cell-stack__sub">
              {assistant.description}
            </Typography.Text>
          ) : null}
        </div>
      ),
    },
    {
      key: 'model',
      title: t('assistants.col.model'),
      render: (_, assistant) => modelDisplayName(modelList, assistant.modelId),
    },
    {
      key: 'mark',
      title: t('assistants.col.mark'),
      render: (_, assistant) => (
        <span className="mark-option">
          {assistant.markName}
          <Typography.Text code>{assistant.markKey}</Typography.Text>
        </span>
      ),
    },
    {
      key: 'status',
      title: t('assistants.col.status'),
      render: (_, assistant) =>
        assistant.active ? (
          <Tag color="green">{t('assistants.statusActive')}</Tag>
        ) : (
          <Tag>{t('assistants.statusInactive')}</Tag>
        ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      align: 'right',
      render: (_, assistant) => (
        <Button
          size="small"
          icon={canManage ? <EditOutlined /> : <EyeOutlined />}
          onClick={() => openDrawer(assistant)}
          data-testid={canManage ? 'assistant-edit' : 'assistant-view'}
        >
          {canManage ? t('common.edit') : t('assistants.view')}
        </Button>
      ),
    },
  ];

  return (
    <Card
      variant="borderless"
      title={t('assistants.title')}
      extra={
        canManage ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            disabled={markList.length === 0}
            onClick={() => openDrawer(null)}
            data-testid="assistant-new"
          >
            {t('assistants.new')}
          </Button>
        ) : null
      }
      data-testid="vendor-assistants"
    >
      <QueryError
        error={assistants.error ?? marks.error ?? models.error}
        onRetry={() => void Promise.all([assistants.refetch(), marks.refetch(), models.refetch()])}
      />
      <Table
        rowKey="id"
        columns={columns}
        dataSource={assistants.data}
        loading={assistants.isPending}
        onRow={() => ROW_PROPS}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{
          emptyText: (
            <Empty
              image={<RobotOutlined className="empty-icon" />}
              description={
                needMark
                  ? t('assistants.needMark')
                  : canManage
                    ? t('assistants.emptyEditable')
                    : t('assistants.empty')
              }
            />
          ),
        }}
      />
      <AssistantDrawer
        open={open}
        tenantId={tenantId}
        assistant={editing}
        models={modelList}
        marks={markList}
        readOnly={!canManage}
        onClose={() => setOpen(false)}
      />
    </Card>
  );
}
