import { EyeOutlined, RobotOutlined } from '@ant-design/icons';
import { Button, type TableColumnsType, Tag, Typography } from 'antd';
import { ListEditor } from '../../components/editor/ListEditor.tsx';
import { useEditor } from '../../components/editor/useEditor.ts';
import { useT } from '../../i18n/useT.ts';
import {
  type AssistantFields,
  modelDisplayName,
  type VendorAssistantRow,
} from '../../lib/assistants.ts';
import { trpc } from '../../lib/trpc.ts';
import { AssistantDrawer } from './AssistantDrawer.tsx';
import { useVendor } from './vendorContext.ts';
import '../../models.css';

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
  const ceiling = trpc.vendor.ceiling.useQuery({ tenantId });
  const utils = trpc.useUtils();
  const create = trpc.vendor.assistants.create.useMutation();
  const update = trpc.vendor.assistants.update.useMutation();
  const editor = useEditor<VendorAssistantRow, AssistantFields>({
    save: async (fields, assistant) => {
      if (assistant) await update.mutateAsync({ tenantId, assistantId: assistant.id, fields });
      else await create.mutateAsync({ tenantId, fields });
      await Promise.all([
        utils.vendor.assistants.list.invalidate({ tenantId }),
        utils.chat.assistants.invalidate(),
      ]);
    },
    messages: { created: t('assistants.created'), saved: t('assistants.saved') },
  });
  const markList = marks.data ?? [];
  const modelList = models.data ?? [];
  // The picker offers switched-on models within the ceiling (the server refuses others).
  const pickable = modelList.filter((model) => ceiling.data?.models.includes(model.id));
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
  ];

  return (
    <ListEditor
      title={t('assistants.title')}
      query={{
        data: assistants.data,
        isPending: assistants.isPending,
        error: assistants.error ?? marks.error ?? models.error ?? ceiling.error,
        refetch: () =>
          Promise.all([assistants.refetch(), marks.refetch(), models.refetch(), ceiling.refetch()]),
      }}
      columns={columns}
      testIdPrefix="assistant"
      empty={{
        icon: <RobotOutlined className="empty-icon" />,
        text: needMark
          ? t('assistants.needMark')
          : canManage
            ? t('assistants.emptyEditable')
            : t('assistants.empty'),
      }}
      create={
        canManage
          ? {
              label: t('assistants.new'),
              onClick: () => editor.openFor(null),
              disabled: markList.length === 0,
            }
          : undefined
      }
      edit={canManage ? { onClick: editor.openFor } : undefined}
      rowActions={
        canManage
          ? undefined
          : (assistant) => (
              <Button
                size="small"
                icon={<EyeOutlined />}
                onClick={() => editor.openFor(assistant)}
                data-testid="assistant-view"
              >
                {t('assistants.view')}
              </Button>
            )
      }
    >
      <AssistantDrawer editor={editor} models={pickable} marks={markList} readOnly={!canManage} />
    </ListEditor>
  );
}
