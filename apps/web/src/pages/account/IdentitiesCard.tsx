import { GithubOutlined, KeyOutlined } from '@ant-design/icons';
import { App, Button, Card, List, Popconfirm, Typography } from 'antd';
import { useLocale } from '../../i18n/useT.ts';
import { describeError } from '../../lib/errorMessages.ts';
import { toAppError } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { trpc } from '../../lib/trpc.ts';

/**
 * Outside accounts (OIDC, GitHub) linked to this one, each with "Unlink". Test hooks:
 * `identity-<provider>` rows, `identity-unlink` buttons.
 */
export function IdentitiesCard() {
  const { t, locale, lookup } = useLocale();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const identities = trpc.auth.identities.useQuery();
  const unlink = trpc.auth.unlinkIdentity.useMutation({
    onSuccess: () => void message.success(t('identities.unlinked')),
    onError: (error) => void message.error(describeError(toAppError(error), lookup)),
    onSettled: () => utils.auth.identities.invalidate(),
  });
  return (
    <Card title={t('identities.title')} data-testid="identities-card">
      <Typography.Paragraph type="secondary">{t('identities.lead')}</Typography.Paragraph>
      <List
        loading={identities.isLoading}
        dataSource={identities.data ?? []}
        rowKey={(identity) => `${identity.provider}:${identity.subject}`}
        locale={{ emptyText: t('identities.empty') }}
        renderItem={(identity) => (
          <List.Item
            data-testid={`identity-${identity.provider}`}
            actions={[
              <Popconfirm
                key="unlink"
                title={t('identities.unlinkConfirm')}
                okText={t('identities.unlink')}
                onConfirm={() =>
                  unlink.mutate({ provider: identity.provider, subject: identity.subject })
                }
              >
                <Button size="small" danger data-testid="identity-unlink">
                  {t('identities.unlink')}
                </Button>
              </Popconfirm>,
            ]}
          >
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
