import { Alert, Button, Form, Input, Space, Typography } from 'antd';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { type FieldMap, useServerErrors } from '../../components/forms/useServerErrors.ts';
import { useT } from '../../i18n/useT.ts';
import { trpc } from '../../lib/trpc.ts';

const FIELDS: FieldMap = { code: 'code' };

/**
 * The otpauth:// URI as a QR code, drawn in the browser (nothing leaves the page, so it works
 * offline and the secret never reaches a QR service), next to the base32 key for typing by hand.
 * Test hooks: `totp-qr`, `totp-secret`, `totp-code`, `totp-confirm`.
 */
export function TotpEnrolment({
  secret,
  uri,
  onEnabled,
  onCancel,
}: {
  secret: string;
  uri: string;
  onEnabled: (recoveryCodes: string[]) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [qr, setQr] = useState<string | null>(null);
  const [form] = Form.useForm<{ code: string }>();
  const confirm = trpc.twoFactor.confirmEnrolment.useMutation({
    onSuccess: ({ recoveryCodes }) => onEnabled(recoveryCodes),
  });
  const formError = useServerErrors(form, confirm.error, FIELDS);

  useEffect(() => {
    let live = true;
    void QRCode.toDataURL(uri, { margin: 1, width: 192, errorCorrectionLevel: 'M' }).then((url) => {
      if (live) setQr(url);
    });
    return () => {
      live = false;
    };
  }, [uri]);

  // Groups of four, as authenticator apps show keys; spaces are ignored when typed in.
  const grouped = secret.match(/.{1,4}/g)?.join(' ') ?? secret;
  return (
    <div className="two-factor-enrol">
      <Typography.Paragraph>{t('twoFactor.scan')}</Typography.Paragraph>
      {qr ? (
        <img src={qr} width={192} height={192} alt={t('twoFactor.qrAlt')} data-testid="totp-qr" />
      ) : null}
      <Typography.Paragraph>
        {t('twoFactor.manual')}{' '}
        <Typography.Text code copyable={{ text: secret }}>
          <span data-testid="totp-secret">{grouped}</span>
        </Typography.Text>
      </Typography.Paragraph>
      <Typography.Paragraph>{t('twoFactor.confirmLead')}</Typography.Paragraph>
      <Form
        form={form}
        layout="inline"
        onFinish={(values) => confirm.mutate({ code: values.code.trim() })}
      >
        {formError ? (
          <Alert type="error" showIcon className="page-alert" title={formError} />
        ) : null}
        <Form.Item
          name="code"
          label={t('twoFactor.code')}
          rules={[{ required: true, whitespace: true, message: t('fieldErrors.REQUIRED') }]}
        >
          <Input
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={8}
            placeholder={t('twoFactor.codePlaceholder')}
            data-testid="totp-code"
          />
        </Form.Item>
        <Space>
          <Button
            type="primary"
            htmlType="submit"
            loading={confirm.isPending}
            data-testid="totp-confirm"
          >
            {t('twoFactor.confirm')}
          </Button>
          <Button onClick={onCancel}>{t('twoFactor.cancel')}</Button>
        </Space>
      </Form>
    </div>
  );
}
