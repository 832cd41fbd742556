import { Alert, Form, Input, Modal, Typography } from 'antd';
import { type ReactNode, useEffect, useMemo } from 'react';
import { useT } from '../../i18n/useT.ts';
import { testId } from '../../lib/testId.ts';
import { type FieldMap, useServerErrors } from './useServerErrors.ts';

/** The one input an action asks for: an optional reason for the audit log, or an email. */
export interface ActionField {
  /** The server's field key (`reason`, `email`), so its errors land on the input. */
  name: string;
  kind: 'reason' | 'email';
  label: string;
  extra?: string;
}

/**
 * A confirm dialog for one console action (suspend, disable, set owner): what will happen, one
 * input, and the server's error on it. The caller runs the mutation (`pending`, `error`) and
 * closes the dialog on success.
 */
export function ActionModal({
  open,
  title,
  body,
  okText,
  danger = false,
  testIdPrefix,
  field,
  pending,
  error,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: ReactNode;
  body?: ReactNode;
  okText: string;
  danger?: boolean;
  /** `<p>-input`, `<p>-submit`. */
  testIdPrefix: string;
  field?: ActionField;
  pending: boolean;
  error: unknown;
  onSubmit: (value: string) => void;
  onClose: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ value: string }>();
  const fieldName = field?.name;
  const fields: FieldMap = useMemo(() => (fieldName ? { [fieldName]: 'value' } : {}), [fieldName]);
  const formError = useServerErrors(form, error, fields);
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const rules =
    field?.kind === 'email'
      ? [
          { required: true, whitespace: true, message: t('fieldErrors.REQUIRED') },
          { type: 'email' as const, message: t('validation.emailInvalid') },
        ]
      : [{ max: 500, message: t('fieldErrors.TOO_LONG') }];
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger, ...testId(`${testIdPrefix}-submit`) }}
      confirmLoading={pending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {body ? <Typography.Paragraph>{body}</Typography.Paragraph> : null}
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => onSubmit((values.value ?? '').trim())}
      >
        {formError ? (
          <Alert type="error" showIcon className="page-alert" title={formError} />
        ) : null}
        {field ? (
          <Form.Item name="value" label={field.label} extra={field.extra} rules={rules}>
            {field.kind === 'email' ? (
              <Input type="email" autoComplete="off" data-testid={`${testIdPrefix}-input`} />
            ) : (
              <Input.TextArea
                autoSize={{ minRows: 2, maxRows: 4 }}
                data-testid={`${testIdPrefix}-input`}
              />
            )}
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
