import { CloudServerOutlined, EditOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { QueryError } from '../../components/QueryError.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { type AdminModelRow, modelsPerProvider, type ProviderRow } from '../../lib/adminModels.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { testId } from '../../lib/testId.ts';
import { ProviderDrawer } from './ProviderDrawer.tsx';

const ROW_PROPS = testId('provider-row');

/** OpenAI-compatible endpoints models can be routed to; their API keys are write-only. */
export function ProvidersCard({
  models,
  providers,
  loading,
  error,
  onRetry,
}: {
  models: AdminModelRow[];
  providers: ProviderRow[] | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
}) {
  const { t, locale } = useLocale();
  const [editing, setEditing] = useState<ProviderRow | null>(null);
  const [open, setOpen] = useState(false);
  const usage = useMemo(() => modelsPerProvider(models), [models]);
  const openDrawer = (provider: ProviderRow | null) => {
    setEditing(provider);
    setOpen(true);
  };

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
    {
      key: 'actions',
      title: t('common.actions'),
      align: 'right',
      render: (_, provider) => (
        <Button
          size="small"
          icon={<EditOutlined />}
          onClick={() => openDrawer(provider)}
          data-testid="provider-edit"
        >
          {t('common.edit')}
        </Button>
      ),
    },
  ];

  return (
    <Card
      variant="borderless"
      title={t('providers.title')}
      extra={
        <Button icon={<PlusOutlined />} onClick={() => openDrawer(null)} data-testid="provider-new">
          {t('providers.new')}
        </Button>
      }
      data-testid="providers-card"
    >
      <Typography.Paragraph type="secondary" className="card-lead">
        {t('providers.lead')}
      </Typography.Paragraph>
      <QueryError error={error} onRetry={onRetry} />
      <Table
        rowKey="id"
        columns={columns}
        dataSource={providers}
        loading={loading}
        onRow={() => ROW_PROPS}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{
          emptyText: (
            <Empty
              image={<CloudServerOutlined className="empty-icon" />}
              description={t('providers.empty')}
            />
          ),
        }}
      />
      <ProviderDrawer open={open} provider={editing} onClose={() => setOpen(false)} />
    </Card>
  );
}
