import { LockOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Result } from 'antd';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useLocale } from '../i18n/useT.ts';
import { AuthLayout } from '../layout/AuthLayout.tsx';
import { toAppError } from '../lib/errors.ts';
import { trpc } from '../lib/trpc.ts';
import { SIGN_IN_PATH } from '../paths.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from './auth/CredentialsForm.tsx';
import { useServerFormErrors } from './auth/useServerFormErrors.ts';

const FIELD_NAMES = ['password'] as const;
const FORGOT_PATH = '/forgot-password';

/**
 * `/reset-password?token=…`, opened from the reset mail: sets a new password. Every session of the
 * account ends (this browser's too), so it ends on "sign in with your new password". An expired
 * or used link says so and offers a new one.
 */
export function ResetPasswordPage() {
  const { t, lookup } = useLocale();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const utils = trpc.useUtils();
  const reset = trpc.auth.resetPassword.useMutation({
    // This browser's session (if any) ended with the others.
    onSuccess: () => utils.auth.me.invalidate(),
  });
  const appError = useMemo(() => (reset.error ? toAppError(reset.error) : null), [reset.error]);
  const linkProblem = appError?.domainCode === 'RESET_LINK_INVALID';
  const { formError } = useServerFormErrors(form, FIELD_NAMES, linkProblem ? null : reset.error);

  const footer = (
    <Link to={SIGN_IN_PATH} data-testid="reset-back-to-signin">
      {t('forgot.backToSignIn')}
    </Link>
  );
  const askAgain = (
    <Link to={FORGOT_PATH} data-testid="reset-ask-again">
      {t('reset.askAgain')}
    </Link>
  );

  if (reset.isSuccess) {
    return (
      <AuthLayout title={t('reset.title')} subtitle={t('reset.subtitle')} footer={footer}>
        <Result
          status="success"
          title={t('reset.doneTitle')}
          subTitle={t('reset.done')}
          data-testid="reset-done"
          extra={
            <Link to={SIGN_IN_PATH} data-testid="reset-to-signin">
              <Button type="primary">{t('reset.toSignIn')}</Button>
            </Link>
          }
        />
      </AuthLayout>
    );
  }
  if (!token) {
    return (
      <AuthLayout title={t('reset.title')} subtitle={t('reset.subtitle')} footer={footer}>
        <Result status="warning" subTitle={t('reset.noToken')} extra={askAgain} />
      </AuthLayout>
    );
  }
  const reason = typeof appError?.details?.reason === 'string' ? appError.details.reason : '';
  const linkMessage = linkProblem
    ? (lookup(`errors.RESET_LINK_INVALID.${reason}`) ?? t('errors.RESET_LINK_INVALID'))
    : null;

  return (
    <AuthLayout title={t('reset.title')} subtitle={t('reset.subtitle')} footer={footer}>
      <Form
        form={form}
        name="reset"
        layout="vertical"
        requiredMark={false}
        size="large"
        onFinish={({ password }) => reset.mutate({ token, password })}
      >
        {linkMessage ? (
          <Alert
            type="error"
            showIcon
            title={linkMessage}
            action={askAgain}
            className="credentials-form__alert"
            data-testid="reset-link-error"
          />
        ) : formError ? (
          <Alert
            type="error"
            showIcon
            title={formError}
            className="credentials-form__alert"
            data-testid="reset-error"
          />
        ) : null}
        <Form.Item
          name="password"
          label={t('reset.newPassword')}
          extra={t('signUp.passwordHint', { min: PASSWORD_MIN })}
          validateFirst
          rules={[
            { required: true, message: t('validation.passwordRequired') },
            {
              min: PASSWORD_MIN,
              max: PASSWORD_MAX,
              message: t('validation.passwordLength', { min: PASSWORD_MIN, max: PASSWORD_MAX }),
            },
          ]}
        >
          <Input.Password
            name="password"
            autoComplete="new-password"
            prefix={<LockOutlined />}
            data-testid="reset-password"
            autoFocus
          />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('reset.confirm')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('validation.passwordRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || getFieldValue('password') === value
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('reset.mismatch'))),
            }),
          ]}
        >
          <Input.Password
            name="confirm"
            autoComplete="new-password"
            prefix={<LockOutlined />}
            data-testid="reset-confirm"
          />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          block
          className="credentials-form__submit"
          loading={reset.isPending}
          data-testid="reset-submit"
        >
          {t('reset.submit')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
