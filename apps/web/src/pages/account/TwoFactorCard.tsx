import { Alert, App, Button, Card, Form, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { type FieldMap, useServerErrors } from '../../components/forms/useServerErrors.ts';
import { useLocale } from '../../i18n/useT.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useMe } from '../../lib/session.ts';
import { trpc } from '../../lib/trpc.ts';
import { RecoveryCodesList } from './RecoveryCodesList.tsx';
import { TotpEnrolment } from './TotpEnrolment.tsx';

const FIELDS: FieldMap = { code: 'code' };

/**
 * Two-factor authentication in Account: turn TOTP on (QR code, then a code), see the recovery
 * codes once, and — with a current code — turn it off or get new recovery codes. Test hooks:
 * `two-factor-card`, `two-factor-status`, `totp-enable`, `totp-manage-code`, `totp-disable`,
 * `totp-regenerate`.
 */
export function TwoFactorCard() {
  const { t, locale } = useLocale();
  const { message } = App.useApp();
  const me = useMe();
  const utils = trpc.useUtils();
  const status = trpc.twoFactor.status.useQuery();
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string } | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [form] = Form.useForm<{ code: string }>();
  const refresh = () => utils.twoFactor.status.invalidate();

  const start = trpc.twoFactor.startEnrolment.useMutation({ onSuccess: setEnrolment });
  const disable = trpc.twoFactor.disable.useMutation({
    onSuccess: () => {
      void message.success(t('twoFactor.disabledToast'));
      form.resetFields();
      void refresh();
    },
  });
  const regenerate = trpc.twoFactor.regenerateRecoveryCodes.useMutation({
    onSuccess: (answer) => {
      form.resetFields();
      setRecoveryCodes(answer.recoveryCodes);
      void refresh();
    },
  });
  const manageError = useServerErrors(form, disable.error ?? regenerate.error, FIELDS);
  const startError = useServerErrors(form, start.error, FIELDS);

  const info = status.data;
  const mustEnrol = info?.requiredForAdmin && me.isPlatformAdmin && !info.enabled;
  const withCode = (action: typeof disable | typeof regenerate) =>
    form.validateFields().then(({ code }) => action.mutate({ code: code.trim() }));

  let body: React.ReactNode = null;
  if (recoveryCodes) {
    body = <RecoveryCodesList codes={recoveryCodes} onDone={() => setRecoveryCodes(null)} />;
  } else if (enrolment) {
    body = (
      <TotpEnrolment
        {...enrolment}
        onCancel={() => setEnrolment(null)}
        onEnabled={(codes) => {
          setEnrolment(null);
          setRecoveryCodes(codes);
          void message.success(t('twoFactor.enabledToast'));
          void refresh();
          // An admin sent here by the admin rule may use the console now.
          void utils.invalidate();
        }}
      />
    );
  } else if (info?.enabled) {
    body = (
      <>
        <Typography.Paragraph>
          {info.enabledAt
            ? t('twoFactor.enabledSince', { date: formatDateTime(info.enabledAt, locale) })
            : null}{' '}
          {t('twoFactor.recoveryLeft', { count: info.recoveryCodesLeft })}
        </Typography.Paragraph>
        {manageError ? (
          <Alert type="error" showIcon className="page-alert" title={manageError} />
        ) : null}
        <Form form={form} layout="vertical" className="password-form">
          <Form.Item
            name="code"
            label={t('twoFactor.manageCode')}
            rules={[{ required: true, whitespace: true, message: t('fieldErrors.REQUIRED') }]}
          >
            <Input autoComplete="one-time-code" maxLength={32} data-testid="totp-manage-code" />
          </Form.Item>
          <Space>
            <Button
              danger
              loading={disable.isPending}
              onClick={() => void withCode(disable)}
              data-testid="totp-disable"
            >
              {t('twoFactor.disable')}
            </Button>
            <Button
              loading={regenerate.isPending}
              onClick={() => void withCode(regenerate)}
              data-testid="totp-regenerate"
            >
              {t('twoFactor.regenerate')}
            </Button>
          </Space>
        </Form>
      </>
    );
  } else if (info) {
    body = (
      <>
        {startError ? (
          <Alert type="error" showIcon className="page-alert" title={startError} />
        ) : null}
        <Button
          type="primary"
          loading={start.isPending}
          onClick={() => start.mutate()}
          data-testid="totp-enable"
        >
          {t('twoFactor.enable')}
        </Button>
      </>
    );
  }

  return (
    <Card
      variant="borderless"
      id="two-factor"
      title={t('twoFactor.title')}
      extra={
        info ? (
          <Tag color={info.enabled ? 'green' : 'default'} data-testid="two-factor-status">
            {info.enabled ? t('twoFactor.on') : t('twoFactor.off')}
          </Tag>
        ) : null
      }
      data-testid="two-factor-card"
    >
      <Typography.Paragraph type="secondary" className="card-lead">
        {t('twoFactor.lead')}
      </Typography.Paragraph>
      {mustEnrol ? (
        <Alert
          type="warning"
          showIcon
          className="page-alert"
          title={t('twoFactor.adminRequired')}
          data-testid="two-factor-admin-required"
        />
      ) : null}
      {body}
    </Card>
  );
}
