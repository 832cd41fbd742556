import { Alert, App, Button, Card, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { type FieldMap, useServerErrors } from '../../components/forms/useServerErrors.ts';
import { useT } from '../../i18n/useT.ts';
import { useSignedOut } from '../../lib/session.ts';
import { testId } from '../../lib/testId.ts';
import { trpc } from '../../lib/trpc.ts';

interface DeleteValues {
  email: string;
  password: string;
  /** Asked for when the account has two factors on (the server requires it then). */
  code?: string;
}

const FIELDS: FieldMap = { email: 'email', password: 'password', code: 'code' };

/**
 * Delete the account: a modal asks for the account's email and current password (the server
 * checks both); on success every session is gone, so the page ends on sign-in.
 */
export function DangerZoneCard() {
  const t = useT();
  const { message } = App.useApp();
  const signedOut = useSignedOut();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<DeleteValues>();
  const twoFactor = trpc.twoFactor.status.useQuery(undefined, { enabled: open });
  const remove = trpc.privacy.deleteAccount.useMutation({
    onSuccess: () => {
      setOpen(false);
      void message.success(t('danger.deleted'));
      signedOut();
    },
  });
  const formError = useServerErrors(form, remove.error, FIELDS);
  const required = { required: true, message: t('fieldErrors.REQUIRED') };

  return (
    <Card
      variant="borderless"
      title={<Typography.Text type="danger">{t('danger.title')}</Typography.Text>}
      data-testid="danger-zone"
    >
      <Typography.Paragraph type="secondary" className="card-lead">
        {t('danger.lead')}
      </Typography.Paragraph>
      <Button danger onClick={() => setOpen(true)} data-testid="delete-account">
        {t('danger.open')}
      </Button>
      <Modal
        open={open}
        title={t('danger.confirmTitle')}
        onCancel={() => setOpen(false)}
        okText={t('danger.submit')}
        cancelText={t('common.cancel')}
        okButtonProps={{
          danger: true,
          loading: remove.isPending,
          ...testId('delete-account-confirm'),
        }}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('danger.confirmLead')}</Typography.Paragraph>
        <Form
          form={form}
          layout="vertical"
          onFinish={(values) => remove.mutate(values)}
          preserve={false}
        >
          {formError ? (
            <Alert type="error" showIcon className="page-alert" title={formError} />
          ) : null}
          <Form.Item name="email" label={t('danger.email')} rules={[required]}>
            <Input autoComplete="off" data-testid="delete-account-email" />
          </Form.Item>
          <Form.Item name="password" label={t('danger.password')} rules={[required]}>
            <Input.Password autoComplete="current-password" data-testid="delete-account-password" />
          </Form.Item>
          {twoFactor.data?.enabled ? (
            <Form.Item name="code" label={t('danger.code')} rules={[required]}>
              <Input
                autoComplete="one-time-code"
                inputMode="numeric"
                data-testid="delete-account-code"
              />
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </Card>
  );
}
