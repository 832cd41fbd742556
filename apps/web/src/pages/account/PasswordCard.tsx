import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { type FieldMap, useServerErrors } from '../../components/forms/useServerErrors.ts';
import { useT } from '../../i18n/useT.ts';
import { trpc } from '../../lib/trpc.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from '../auth/CredentialsForm.tsx';

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

// WRONG_PASSWORD lands under the current password, the policy's codes under the new one.
const FIELDS: FieldMap = { currentPassword: 'currentPassword', newPassword: 'newPassword' };

/**
 * Change the password: the current one, the new one twice. The server ends every other session
 * in the same transaction; the toast says how many, so a stranger's session is seen to go.
 */
export function PasswordCard() {
  const t = useT();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const [form] = Form.useForm<PasswordValues>();
  const change = trpc.auth.changePassword.useMutation({
    onSuccess: ({ sessionsEnded }) => {
      void message.success(t('password.done', { count: sessionsEnded }));
      form.resetFields();
      void utils.auth.sessions.invalidate();
    },
  });
  const formError = useServerErrors(form, change.error, FIELDS);
  const required = { required: true, message: t('fieldErrors.REQUIRED') };

  return (
    <Card variant="borderless" title={t('password.title')} data-testid="password-card">
      <Typography.Paragraph type="secondary" className="card-lead">
        {t('password.lead')}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        className="password-form"
        onFinish={(values) =>
          change.mutate({
            currentPassword: values.currentPassword,
            newPassword: values.newPassword,
          })
        }
      >
        {formError ? (
          <Alert type="error" showIcon className="page-alert" title={formError} />
        ) : null}
        <Form.Item name="currentPassword" label={t('password.current')} rules={[required]}>
          <Input.Password autoComplete="current-password" data-testid="password-current" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          rules={[
            required,
            {
              min: PASSWORD_MIN,
              max: PASSWORD_MAX,
              message: t('validation.passwordLength', { min: PASSWORD_MIN, max: PASSWORD_MAX }),
            },
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            required,
            ({ getFieldValue }) => ({
              validator: async (_, value: string | undefined) => {
                if (value && value !== getFieldValue('newPassword')) {
                  throw new Error(t('password.mismatch'));
                }
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-confirm" />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          loading={change.isPending}
          data-testid="password-submit"
        >
          {t('password.submit')}
        </Button>
      </Form>
    </Card>
  );
}
