import { SafetyOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useT } from '../../i18n/useT.ts';
import { useServerFormErrors } from './useServerFormErrors.ts';

const FIELD_NAMES = ['code'] as const;

/**
 * The sign-in code step: a TOTP code or a recovery code. Test hooks: `signin-code`,
 * `signin-code-submit`, `signin-code-error`, `signin-code-back`.
 */
export function SecondFactorForm({
  pending,
  error,
  onSubmit,
  onBack,
  onEdit,
}: {
  pending: boolean;
  error: unknown;
  onSubmit: (code: string) => void;
  onBack: () => void;
  onEdit: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ code: string }>();
  const { formError, lockedSeconds } = useServerFormErrors(form, FIELD_NAMES, error);
  return (
    <Form
      form={form}
      name="second-factor"
      layout="vertical"
      requiredMark={false}
      size="large"
      onFinish={(values) => onSubmit(values.code.trim())}
      onValuesChange={() => {
        if (lockedSeconds === 0) onEdit();
      }}
    >
      <Typography.Paragraph type="secondary">{t('signIn.codeLead')}</Typography.Paragraph>
      {formError ? (
        <Alert
          type="error"
          showIcon
          title={formError}
          className="credentials-form__alert"
          data-testid="signin-code-error"
        />
      ) : null}
      <Form.Item
        name="code"
        label={t('twoFactor.code')}
        rules={[{ required: true, whitespace: true, message: t('fieldErrors.REQUIRED') }]}
      >
        <Input
          name="code"
          autoComplete="one-time-code"
          inputMode="text"
          prefix={<SafetyOutlined />}
          placeholder={t('twoFactor.codePlaceholder')}
          maxLength={32}
          data-testid="signin-code"
          autoFocus
        />
      </Form.Item>
      <Button
        type="primary"
        htmlType="submit"
        block
        className="credentials-form__submit"
        loading={pending}
        disabled={lockedSeconds > 0}
        data-testid="signin-code-submit"
      >
        {t('signIn.codeSubmit')}
      </Button>
      <Button type="link" block onClick={onBack} data-testid="signin-code-back">
        {t('signIn.codeBack')}
      </Button>
    </Form>
  );
}
