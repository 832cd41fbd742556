import { MailOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Result } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useLocale } from '../i18n/useT.ts';
import { AuthLayout } from '../layout/AuthLayout.tsx';
import { trpc } from '../lib/trpc.ts';
import { SIGN_IN_PATH } from '../paths.ts';
import { useServerFormErrors } from './auth/useServerFormErrors.ts';

const FIELD_NAMES = ['email'] as const;

/**
 * "Forgot password?": asks for a reset link. The answer is the same whether the address has an
 * account or not, so the page only ever says "if it has an account, a link is on its way".
 */
export function ForgotPasswordPage() {
  const { t, locale } = useLocale();
  const [form] = Form.useForm<{ email: string }>();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const request = trpc.auth.requestPasswordReset.useMutation();
  const { formError, lockedSeconds } = useServerFormErrors(form, FIELD_NAMES, request.error);

  const footer = (
    <Link to={SIGN_IN_PATH} data-testid="forgot-to-signin">
      {t('forgot.backToSignIn')}
    </Link>
  );
  if (sentTo) {
    return (
      <AuthLayout title={t('forgot.title')} subtitle={t('forgot.subtitle')} footer={footer}>
        <Result
          status="success"
          icon={<MailOutlined />}
          title={t('forgot.sentTitle')}
          subTitle={t('forgot.sent', { email: sentTo })}
          data-testid="forgot-sent"
          extra={
            <Button
              onClick={() => {
                request.reset();
                setSentTo(null);
              }}
              data-testid="forgot-again"
            >
              {t('forgot.again')}
            </Button>
          }
        />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={t('forgot.title')} subtitle={t('forgot.subtitle')} footer={footer}>
      <Form
        form={form}
        name="forgot"
        layout="vertical"
        requiredMark={false}
        size="large"
        onFinish={({ email }) => {
          const trimmed = email.trim();
          request.mutate({ email: trimmed, locale }, { onSuccess: () => setSentTo(trimmed) });
        }}
        onValuesChange={() => {
          if (request.error && lockedSeconds === 0) request.reset();
        }}
      >
        {formError ? (
          <Alert
            type="error"
            showIcon
            title={formError}
            className="credentials-form__alert"
            data-testid="forgot-error"
          />
        ) : null}
        <Form.Item
          name="email"
          label={t('field.email')}
          validateFirst
          rules={[
            { required: true, whitespace: true, message: t('validation.emailRequired') },
            { type: 'email', message: t('validation.emailInvalid') },
          ]}
        >
          <Input
            name="email"
            type="email"
            autoComplete="username"
            prefix={<MailOutlined />}
            placeholder={t('field.emailPlaceholder')}
            data-testid="forgot-email"
            autoFocus
          />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          block
          className="credentials-form__submit"
          loading={request.isPending}
          disabled={lockedSeconds > 0}
          data-testid="forgot-submit"
        >
          {t('forgot.submit')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
