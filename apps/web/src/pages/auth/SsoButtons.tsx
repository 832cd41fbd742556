import { GithubOutlined, KeyOutlined } from '@ant-design/icons';
import { Alert, Button, Divider, Flex } from 'antd';
import { useSearchParams } from 'react-router';
import { useLocale } from '../../i18n/useT.ts';
import { trpc } from '../../lib/trpc.ts';

/**
 * "Continue with …" for every identity provider the server is configured for (none: nothing
 * shown). Each is a plain link: the server's start route sends the browser on to the provider.
 * Test hooks: `sso-<provider>`.
 */
export function SsoButtons() {
  const { t } = useLocale();
  const providers = trpc.auth.ssoProviders.useQuery(undefined, { staleTime: Infinity });
  if (!providers.data?.length) return null;
  return (
    <>
      <Divider plain>{t('sso.or')}</Divider>
      <Flex vertical gap={8}>
        {providers.data.map((p) => (
          <Button
            key={p.id}
            block
            href={`/api/auth/sso/${p.id}/start`}
            icon={p.id === 'github' ? <GithubOutlined /> : <KeyOutlined />}
            data-testid={`sso-${p.id}`}
          >
            {t('sso.continueWith', { name: p.label })}
          </Button>
        ))}
      </Flex>
    </>
  );
}

/** Why an SSO sign-in came back without a session (`?sso_error=REASON` from the callback). */
export function SsoError() {
  const { t, lookup } = useLocale();
  const [params] = useSearchParams();
  const reason = params.get('sso_error');
  if (!reason) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      message={t('sso.errorTitle')}
      description={lookup(`sso.error.${reason}`) ?? t('sso.error.unknown')}
      data-testid="sso-error"
    />
  );
}
