import { EditOutlined, PlusOutlined, RobotOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { QueryError } from '../../components/QueryError.tsx';
import { useLocale } from '../../i18n/useT.ts';
import type { AdminModelRow } from '../../lib/adminModels.ts';
import { formatCredits } from '../../lib/credits.ts';
import { testId } from '../../lib/testId.ts';
import { trpc } from '../../lib/trpc.ts';
import { ModelDrawer } from './ModelDrawer.tsx';
import { ProvidersCard } from './ProvidersCard.tsx';
import { ProviderTag } from './ProviderTag.tsx';
import '../../models.css';

const ROW_PROPS = testId('model-row');

/**
 * `/admin/models`: the priced model catalog (credits per 1M tokens), each routed to the built-in
 * demo, the environment's endpoint or a configured provider; and the providers themselves.
 */
export function ModelsTab() {
  const { t, locale } = useLocale();
  const models = trpc.admin.models.list.useQuery();
  const providers = trpc.admin.models.providers.list.useQuery();
  const [editing, setEditing] = useState<AdminModelRow | null>(null);
  const [open, setOpen] = useState(false);
  const openDrawer = (model: AdminModelRow | null) => {
    setEditing(model);
    setOpen(true);
  };
  const providerRows = providers.data ?? [];
  const price = (value: number) => (
    <span className="price-cell">
      {formatCredits(value, locale)}
      <span className="price-cell__unit">{t('aiModels.perMillion')}</span>
    </span>
  );

  const columns: TableColumnsType<AdminModelRow> = [
    {
      key: 'name',
      title: t('aiModels.col.model'),
      render: (_, model) => (
        <div className="cell-stack">
          <Typography.Text strong>{model.displayName}</Typography.Text>
          <Typography.Text type="secondary" className="cell-stack__sub" data-testid="model-id-cell">
            {model.id}
          </Typography.Text>
        </div>
      ),
    },
    {
      key: 'input',
      title: t('aiModels.col.input'),
      align: 'right',
      render: (_, model) => price(model.inputPricePerMillion),
    },
    {
      key: 'output',
      title: t('aiModels.col.output'),
      align: 'right',
      render: (_, model) => price(model.outputPricePerMillion),
    },
    {
      key: 'provider',
      title: t('aiModels.col.provider'),
      render: (_, model) => <ProviderTag providerId={model.providerId} providers={providerRows} />,
    },
    {
      key: 'upstream',
      title: t('aiModels.col.upstream'),
      render: (_, model) =>
        model.upstreamModel ? (
          <Typography.Text code>{model.upstreamModel}</Typography.Text>
        ) : (
          <span className="muted">{t('aiModels.sameAsId')}</span>
        ),
    },
    {
      key: 'status',
      title: t('aiModels.col.status'),
      render: (_, model) =>
        model.active ? (
          <Tag color="green">{t('aiModels.statusActive')}</Tag>
        ) : (
          <Tag>{t('aiModels.statusInactive')}</Tag>
        ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      align: 'right',
      render: (_, model) => (
        <Button
          size="small"
          icon={<EditOutlined />}
          onClick={() => openDrawer(model)}
          data-testid="model-edit"
        >
          {t('common.edit')}
        </Button>
      ),
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="admin-models">
      <Card
        variant="borderless"
        title={t('aiModels.title')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => openDrawer(null)}
            data-testid="model-new"
          >
            {t('aiModels.new')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary" className="card-lead">
          {t('aiModels.lead')}
        </Typography.Paragraph>
        <QueryError error={models.error} onRetry={() => void models.refetch()} />
        <Table
          rowKey="id"
          columns={columns}
          dataSource={models.data}
          loading={models.isPending}
          onRow={() => ROW_PROPS}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          locale={{
            emptyText: (
              <Empty
                image={<RobotOutlined className="empty-icon" />}
                description={t('aiModels.empty')}
              />
            ),
          }}
        />
      </Card>
      <ProvidersCard
        models={models.data ?? []}
        providers={providers.data}
        loading={providers.isPending}
        error={providers.error}
        onRetry={() => void providers.refetch()}
      />
      <ModelDrawer
        open={open}
        model={editing}
        providers={providerRows}
        onClose={() => setOpen(false)}
      />
    </Flex>
  );
}
