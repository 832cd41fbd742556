import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { Alert, Button, Form, type FormRule, Input } from 'antd';
import { useT } from '../../i18n/useT.ts';
import { useServerFormErrors } from './useServerFormErrors.ts';

export interface Credentials {
  email: string;
  password: string;
}

/** Mirrors the server's input schema; the server stays the authority. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
const FIELD_NAMES = ['email', 'password'] as const;

/**
 * Email + password form shared by sign-in and sign-up. Test hooks use `testIdPrefix`:
 * `<prefix>-email`, `<prefix>-password`, `<prefix>-submit`, `<prefix>-error`.
 */
export function CredentialsForm({
  testIdPrefix,
  isSignUp,
  submitLabel,
  pending,
  error,
  onSubmit,
  onEdit,
  initialEmail,
}: {
  testIdPrefix: 'signin' | 'signup';
  isSignUp: boolean;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: Credentials) => void;
  /** The member edited the form: a stale server message may go. */
  onEdit: () => void;
  /** Prefilled address (an invite's). */
  initialEmail?: string;
}) {
  const t = useT();
  const [form] = Form.useForm<Credentials>();
  const { formError, lockedSeconds } = useServerFormErrors(form, FIELD_NAMES, error);

  const emailRules: FormRule[] = [
    { required: true, whitespace: true, message: t('validation.emailRequired') },
    { type: 'email', message: t('validation.emailInvalid') },
  ];
  const lengthMessage = t('validation.passwordLength', { min: PASSWORD_MIN, max: PASSWORD_MAX });
  // Sign-in takes any non-empty password (the policy applies at sign-up only), as the server does.
  const passwordRules: FormRule[] = [
    { required: true, message: t('validation.passwordRequired') },
    ...(isSignUp ? [{ min: PASSWORD_MIN, max: PASSWORD_MAX, message: lengthMessage }] : []),
  ];

  return (
    <Form
      form={form}
      name={testIdPrefix}
      layout="vertical"
      requiredMark={false}
      size="large"
      initialValues={initialEmail ? { email: initialEmail } : undefined}
      onFinish={(values) => onSubmit({ email: values.email.trim(), password: values.password })}
      onValuesChange={() => {
        if (lockedSeconds === 0) onEdit();
      }}
    >
      {formError ? (
        <Alert
          type="error"
          showIcon
          title={formError}
          className="credentials-form__alert"
          data-testid={`${testIdPrefix}-error`}
        />
      ) : null}
      <Form.Item name="email" label={t('field.email')} rules={emailRules} validateFirst>
        <Input
          name="email"
          type="email"
          autoComplete={isSignUp ? 'email' : 'username'}
          prefix={<MailOutlined />}
          placeholder={t('field.emailPlaceholder')}
          data-testid={`${testIdPrefix}-email`}
          autoFocus
        />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('field.password')}
        rules={passwordRules}
        extra={isSignUp ? t('signUp.passwordHint', { min: PASSWORD_MIN }) : undefined}
        validateFirst
      >
        <Input.Password
          name="password"
          autoComplete={isSignUp ? 'new-password' : 'current-password'}
          prefix={<LockOutlined />}
          placeholder={t('field.passwordPlaceholder')}
          data-testid={`${testIdPrefix}-password`}
        />
      </Form.Item>
      <Button
        type="primary"
        htmlType="submit"
        block
        className="credentials-form__submit"
        loading={pending}
        disabled={lockedSeconds > 0}
        data-testid={`${testIdPrefix}-submit`}
      >
        {submitLabel}
      </Button>
    </Form>
  );
}
