import { Button, Result, Spin } from 'antd';
import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useLocale } from '../i18n/useT.ts';
import { AuthLayout } from '../layout/AuthLayout.tsx';
import { describeError } from '../lib/errorMessages.ts';
import { toAppError } from '../lib/errors.ts';
import { useMeQuery } from '../lib/session.ts';
import { trpc } from '../lib/trpc.ts';
import { HOME_PATH, SIGN_IN_PATH } from '../paths.ts';

/**
 * `/verify-email?token=…`, opened from the verification mail, signed in or not (the token is the
 * proof). It uses the link once on arrival and says how it went: verified, or expired / used /
 * unknown — with "send a new link" for a signed-in member, "sign in" otherwise.
 */
export function VerifyEmailPage() {
  const { t, locale, lookup } = useLocale();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const me = useMeQuery();
  const utils = trpc.useUtils();
  const verify = trpc.signup.verifyEmail.useMutation({
    onSuccess: () => utils.auth.me.invalidate(),
  });
  const resend = trpc.signup.resendVerification.useMutation();
  // Once per page load, even when React runs effects twice: a link is single-use.
  const sent = useRef(false);
  useEffect(() => {
    if (token && !sent.current) {
      sent.current = true;
      verify.mutate({ token });
    }
  }, [token, verify]);

  const signedIn = Boolean(me.data);
  const layout = (body: React.ReactNode) => (
    <AuthLayout
      title={t('verifyPage.title')}
      subtitle={t('verifyPage.subtitle')}
      footer={
        <Link to={signedIn ? HOME_PATH : SIGN_IN_PATH} data-testid="verify-footer-link">
          {signedIn ? t('verifyPage.toApp') : t('verifyPage.toSignIn')}
        </Link>
      }
    >
      {body}
    </AuthLayout>
  );
  const next = signedIn ? (
    me.data?.emailVerified ? null : (
      <Button
        type="primary"
        loading={resend.isPending}
        disabled={resend.isSuccess}
        onClick={() => resend.mutate({ locale })}
        data-testid="verify-page-resend"
      >
        {t('verify.resend')}
      </Button>
    )
  ) : (
    <Link to={SIGN_IN_PATH}>
      <Button type="primary">{t('verifyPage.toSignIn')}</Button>
    </Link>
  );

  if (!token)
    return layout(<Result status="warning" subTitle={t('verifyPage.noToken')} extra={next} />);
  if (verify.isSuccess) {
    return layout(
      <Result
        status="success"
        title={t('verifyPage.doneTitle')}
        subTitle={t('verifyPage.done', { email: verify.data.email })}
        data-testid="verify-done"
        extra={
          <Link to={signedIn ? HOME_PATH : SIGN_IN_PATH}>
            <Button type="primary" data-testid="verify-to-app">
              {signedIn ? t('verifyPage.toApp') : t('verifyPage.toSignIn')}
            </Button>
          </Link>
        }
      />,
    );
  }
  if (verify.isError) {
    const error = toAppError(verify.error);
    const reason = typeof error.details?.reason === 'string' ? error.details.reason : 'unknown';
    return layout(
      <Result
        status="warning"
        title={describeError(error, lookup)}
        subTitle={
          resend.isSuccess
            ? t('verify.resent', { email: me.data?.user.email ?? '' })
            : resend.error
              ? describeError(toAppError(resend.error), lookup)
              : signedIn
                ? undefined
                : t('verifyPage.signInToResend')
        }
        data-testid="verify-failed"
        data-reason={reason}
        extra={next}
      />,
    );
  }
  return layout(<Spin tip={t('verifyPage.checking')}>{<div style={{ minHeight: 80 }} />}</Spin>);
}
