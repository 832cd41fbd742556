import { LogoutOutlined } from '@ant-design/icons';
import { App, Button, Card, Popconfirm, Space, Typography } from 'antd';
import { useLocale } from '../../i18n/useT.ts';
import { describeError } from '../../lib/errorMessages.ts';
import { isUnauthenticated, toAppError } from '../../lib/errors.ts';
import { useSignedOut } from '../../lib/session.ts';
import { testId } from '../../lib/testId.ts';
import { trpc } from '../../lib/trpc.ts';

/** Sign out here, or everywhere (confirmed first); both end on the sign-in page. */
export function SignOutCard() {
  const { t, lookup } = useLocale();
  const { message } = App.useApp();
  const signedOut = useSignedOut();
  const onError = (error: unknown) => {
    // Already signed out (revoked elsewhere): the goal is reached.
    if (isUnauthenticated(error)) return signedOut();
    void message.error(describeError(toAppError(error), lookup));
  };
  const signOut = trpc.auth.signOut.useMutation({ onSuccess: signedOut, onError });
  const signOutEverywhere = trpc.auth.signOutEverywhere.useMutation({
    onSuccess: ({ revoked }) => {
      void message.success(t('account.signedOutEverywhere', { count: revoked }));
      signedOut();
    },
    onError,
  });
  return (
    <Card title={t('account.signOutTitle')} variant="borderless">
      <Typography.Paragraph type="secondary">{t('account.signOutDetail')}</Typography.Paragraph>
      <Space wrap>
        <Button
          icon={<LogoutOutlined />}
          loading={signOut.isPending}
          onClick={() => signOut.mutate()}
          data-testid="signout"
        >
          {t('account.signOut')}
        </Button>
        <Popconfirm
          title={t('account.signOutEverywhereConfirm')}
          okText={t('account.signOutEverywhere')}
          cancelText={t('common.cancel')}
          okButtonProps={{
            danger: true,
            loading: signOutEverywhere.isPending,
            ...testId('signout-everywhere-confirm'),
          }}
          onConfirm={() => signOutEverywhere.mutate()}
        >
          <Button danger data-testid="signout-everywhere">
            {t('account.signOutEverywhere')}
          </Button>
        </Popconfirm>
      </Space>
    </Card>
  );
}
