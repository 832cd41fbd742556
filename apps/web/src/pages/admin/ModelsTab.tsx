import { RobotOutlined } from '@ant-design/icons';
import { Flex, type TableColumnsType, Tag, Typography } from 'antd';
import { ListEditor } from '../../components/editor/ListEditor.tsx';
import { useEditor } from '../../components/editor/useEditor.ts';
import { useLocale } from '../../i18n/useT.ts';
import type { AdminModelRow } from '../../lib/adminModels.ts';
import { formatCredits } from '../../lib/credits.ts';
import { trpc } from '../../lib/trpc.ts';
import { ModelDrawer, type ModelInput } from './ModelDrawer.tsx';
import { ProvidersCard } from './ProvidersCard.tsx';
import { ProviderTag } from './ProviderTag.tsx';
import '../../models.css';

/**
 * `/admin/models`: the priced model catalog (credits per 1M tokens), each routed to the built-in
 * demo, the environment's endpoint or a configured provider; and the providers themselves.
 */
export function ModelsTab() {
  const { t, locale } = useLocale();
  const models = trpc.admin.models.list.useQuery();
  const providers = trpc.admin.models.providers.list.useQuery();
  const utils = trpc.useUtils();
  const create = trpc.admin.models.create.useMutation();
  const update = trpc.admin.models.update.useMutation();
  const editor = useEditor<AdminModelRow, ModelInput>({
    save: async ({ modelId, fields }, model) => {
      if (model) await update.mutateAsync({ modelId: model.id, fields });
      else await create.mutateAsync({ modelId, fields });
      // The pickers (chat, mark editors) list only switched-on models.
      await Promise.all([utils.admin.models.list.invalidate(), utils.chat.models.invalidate()]);
    },
    messages: { created: t('aiModels.created'), saved: t('aiModels.saved') },
  });
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
          <Typography.Text strong>
            {model.displayName}
            {model.vision && (
              <Tag className="model-vision-tag" data-testid="model-vision-tag">
                {t('aiModels.visionTag')}
              </Tag>
            )}
          </Typography.Text>
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
  ];

  return (
    <Flex vertical gap={16} data-testid="admin-models">
      <ListEditor
        title={t('aiModels.title')}
        lead={t('aiModels.lead')}
        query={models}
        columns={columns}
        testIdPrefix="model"
        empty={{ icon: <RobotOutlined className="empty-icon" />, text: t('aiModels.empty') }}
        create={{ label: t('aiModels.new'), onClick: () => editor.openFor(null) }}
        edit={{ onClick: editor.openFor }}
      >
        <ModelDrawer editor={editor} providers={providerRows} />
      </ListEditor>
      <ProvidersCard models={models.data ?? []} query={providers} />
    </Flex>
  );
}
