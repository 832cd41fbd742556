// "Verify your email" (decision 022): the banner an unverified member sees on every page, and the
// prompt that answers a refused trial, plan code or checkout (EMAIL_NOT_VERIFIED) with a resend.
import { MailOutlined } from '@ant-design/icons';
import { Alert, App, Button } from 'antd';
import { useCallback } from 'react';
import { useLocale } from '../i18n/useT.ts';
import { describeError } from '../lib/errorMessages.ts';
import { toAppError } from '../lib/errors.ts';
import { useMe } from '../lib/session.ts';
import { trpc } from '../lib/trpc.ts';

/** Mails the signed-in member a new verification link and says so (or why not). */
export function useResendVerification() {
  const { t, lookup } = useLocale();
  const { message } = App.useApp();
  const me = useMe();
  const utils = trpc.useUtils();
  return trpc.signup.resendVerification.useMutation({
    onSuccess: ({ alreadyVerified }) => {
      if (alreadyVerified) {
        void message.info(t('verify.alreadyVerified'));
        void utils.auth.me.invalidate();
      } else void message.success(t('verify.resent', { email: me.user.email }));
    },
    onError: (error) => void message.error(describeError(toAppError(error), lookup)),
  });
}

/** Shown above every page while the member's address is unverified. */
export function VerifyEmailBanner() {
  const { t, locale } = useLocale();
  const me = useMe();
  const resend = useResendVerification();
  if (me.emailVerified) return null;
  return (
    <Alert
      type="warning"
      showIcon
      icon={<MailOutlined />}
      className="verify-banner"
      data-testid="verify-banner"
      message={t('verify.banner', { email: me.user.email })}
      action={
        <Button
          size="small"
          loading={resend.isPending}
          onClick={() => resend.mutate({ locale })}
          data-testid="verify-resend"
        >
          {t('verify.resend')}
        </Button>
      }
    />
  );
}

/**
 * An onError for mutations the server gates on a verified address: EMAIL_NOT_VERIFIED opens a
 * "verify your email first" dialog whose button mails a new link; anything else goes to `other`.
 */
export function useVerifiedEmailErrorHandler(other: (error: unknown) => void) {
  const { t, locale } = useLocale();
  const { modal } = App.useApp();
  const me = useMe();
  const resend = useResendVerification();
  return useCallback(
    (error: unknown) => {
      if (toAppError(error).domainCode !== 'EMAIL_NOT_VERIFIED') return other(error);
      modal.confirm({
        title: t('verify.requiredTitle'),
        content: (
          <span data-testid="verify-required">
            {t('verify.requiredBody', { email: me.user.email })}
          </span>
        ),
        icon: <MailOutlined />,
        okText: t('verify.resend'),
        cancelText: t('verify.later'),
        okButtonProps: { 'data-testid': 'verify-required-resend' } as Record<string, string>,
        onOk: () => resend.mutateAsync({ locale }).catch(() => undefined),
      });
    },
    [other, modal, t, locale, me.user.email, resend],
  );
}
