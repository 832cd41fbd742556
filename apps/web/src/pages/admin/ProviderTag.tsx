import { CloudServerOutlined, ExperimentOutlined, GlobalOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { useT } from '../../i18n/useT.ts';
import { describeProvider, type ProviderRow } from '../../lib/adminModels.ts';

/** Which endpoint serves a model: built-in demo, the environment's, a provider, or a gone one. */
export function ProviderTag({
  providerId,
  providers,
}: {
  providerId: string | null;
  providers: ProviderRow[];
}) {
  const t = useT();
  const { kind, provider } = describeProvider(providerId, providers);
  if (kind === 'demo') {
    return (
      <Tooltip title={t('aiModels.providerDemoHint')}>
        <Tag icon={<ExperimentOutlined />} color="geekblue" data-testid="model-provider-tag">
          {t('aiModels.providerDemo')}
        </Tag>
      </Tooltip>
    );
  }
  if (kind === 'env') {
    return (
      <Tooltip title={t('aiModels.providerEnvHint')}>
        <Tag icon={<GlobalOutlined />} color="cyan" data-testid="model-provider-tag">
          {t('aiModels.providerEnvShort')}
        </Tag>
      </Tooltip>
    );
  }
  if (kind === 'missing' || !provider) {
    return (
      <Tag color="red" data-testid="model-provider-tag">
        {t('aiModels.providerMissing', { id: providerId ?? '' })}
      </Tag>
    );
  }
  return (
    <Tooltip title={provider.active ? undefined : t('providers.inactiveHint')}>
      <Tag
        icon={<CloudServerOutlined />}
        color={provider.active ? 'purple' : 'default'}
        data-testid="model-provider-tag"
      >
        {provider.active ? provider.name : `${provider.name} (${t('providers.inactive')})`}
      </Tag>
    </Tooltip>
  );
}
