import { CloudServerOutlined, KeyOutlined } from '@ant-design/icons';
import { type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useMemo } from 'react';
import { ListEditor, type ListQuery } from '../../components/editor/ListEditor.tsx';
import { useEditor } from '../../components/editor/useEditor.ts';
import { useLocale } from '../../i18n/useT.ts';
import {
  type AdminModelRow,
  modelsPerProvider,
  type ProviderFields,
  type ProviderRow,
} from '../../lib/adminModels.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { trpc } from '../../lib/trpc.ts';
import { ProviderDrawer } from './ProviderDrawer.tsx';

/** OpenAI-compatible endpoints models can be routed to; their API keys are write-only. */
export function ProvidersCard({
  models,
  query,
}: {
  models: AdminModelRow[];
  query: ListQuery<ProviderRow>;
}) {
  const { t, locale } = useLocale();
  const utils = trpc.useUtils();
  const create = trpc.admin.models.providers.create.useMutation();
  const update = trpc.admin.models.providers.update.useMutation();
  const editor = useEditor<ProviderRow, ProviderFields>({
    save: async (fields, provider) => {
      if (provider) await update.mutateAsync({ providerId: provider.id, fields });
      else await create.mutateAsync({ fields });
      await utils.admin.models.providers.list.invalidate();
    },
    messages: { created: t('providers.created'), saved: t('providers.saved') },
  });
  const usage = useMemo(() => modelsPerProvider(models), [models]);

  const columns: TableColumnsType<ProviderRow> = [
    {
      key: 'name',
      title: t('providers.col.name'),
      render: (_, provider) => <Typography.Text strong>{provider.name}</Typography.Text>,
    },
    {
      key: 'baseUrl',
      title: t('providers.col.baseUrl'),
      render: (_, provider) => <Typography.Text code>{provider.baseUrl}</Typography.Text>,
    },
    {
      key: 'apiKey',
      title: t('providers.col.apiKey'),
      render: (_, provider) =>
        provider.apiKeySet ? (
          <Tag icon={<KeyOutlined />} color="green" data-testid="provider-key-set">
            {t('providers.keySet')}
          </Tag>
        ) : (
          <Tag data-testid="provider-key-none">{t('providers.keyNone')}</Tag>
        ),
    },
    {
      key: 'models',
      title: t('providers.col.models'),
      align: 'right',
      render: (_, provider) => usage.get(provider.id) ?? 0,
    },
    {
      key: 'status',
      title: t('providers.col.status'),
      render: (_, provider) =>
        provider.active ? (
          <Tag color="green">{t('aiModels.statusActive')}</Tag>
        ) : (
          <Tooltip title={t('providers.inactiveHint')}>
            <Tag>{t('providers.inactive')}</Tag>
          </Tooltip>
        ),
    },
    {
      key: 'updated',
      title: t('providers.col.updated'),
      render: (_, provider) => (
        <Tooltip title={formatDateTime(provider.updatedAt, locale)}>
          <span>{formatRelative(provider.updatedAt, locale)}</span>
        </Tooltip>
      ),
    },
  ];

  return (
    <ListEditor
      title={t('providers.title')}
      lead={t('providers.lead')}
      query={query}
      columns={columns}
      testIdPrefix="provider"
      empty={{
        icon: <CloudServerOutlined className="empty-icon" />,
        text: t('providers.empty'),
      }}
      create={{ label: t('providers.new'), onClick: () => editor.openFor(null), primary: false }}
      edit={{ onClick: editor.openFor }}
    >
      <ProviderDrawer editor={editor} />
    </ListEditor>
  );
}
