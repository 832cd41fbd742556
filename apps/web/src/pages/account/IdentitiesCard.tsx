import { GithubOutlined, KeyOutlined } from '@ant-design/icons';
import { Card, List, Typography } from 'antd';
import { useLocale } from '../../i18n/useT.ts';
import { formatDateTime } from '../../lib/format.ts';
import { trpc } from '../../lib/trpc.ts';

/** Outside accounts (OIDC, GitHub) linked to this one. Test hook: `identity-<provider>` rows. */
export function IdentitiesCard() {
  const { t, locale } = useLocale();
  const identities = trpc.auth.identities.useQuery();
  return (
    <Card title={t('identities.title')} data-testid="identities-card">
      <Typography.Paragraph type="secondary">{t('identities.lead')}</Typography.Paragraph>
      <List
        loading={identities.isLoading}
        dataSource={identities.data ?? []}
        locale={{ emptyText: t('identities.empty') }}
        renderItem={(identity) => (
          <List.Item data-testid={`identity-${identity.provider}`}>
            <List.Item.Meta
              avatar={identity.provider === 'github' ? <GithubOutlined /> : <KeyOutlined />}
              title={t(`identities.provider.${identity.provider}`)}
              description={[
                identity.email,
                t('identities.linkedOn', { date: formatDateTime(identity.createdAt, locale) }),
              ]
                .filter(Boolean)
                .join(' · ')}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
