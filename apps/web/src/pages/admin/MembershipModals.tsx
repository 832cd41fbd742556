import { Alert, Form, Input, InputNumber, Modal, Typography } from 'antd';
import { useEffect } from 'react';
import { type FieldMap, useServerErrors } from '../../components/forms/useServerErrors.ts';
import { useLocale } from '../../i18n/useT.ts';
import { formatDateTime } from '../../lib/format.ts';
import { testId } from '../../lib/testId.ts';
import type { MembershipRecord } from '../../lib/trpc.ts';
import { useMembershipChange } from './useMembershipChange.ts';

const FIELDS: FieldMap = { days: 'days', reason: 'reason' };

export type MembershipAction = { kind: 'extend' | 'revoke'; membership: MembershipRecord } | null;

/** Extend a membership by N days, or revoke it now; both with an optional reason for the log. */
export function MembershipActionModal({
  userId,
  action,
  onClose,
}: {
  userId: string;
  action: MembershipAction;
  onClose: () => void;
}) {
  const { t, locale } = useLocale();
  const [form] = Form.useForm<{ days: number | null; reason: string }>();
  const { extend, revoke } = useMembershipChange(userId, onClose);
  const mutation = action?.kind === 'revoke' ? revoke : extend;
  const formError = useServerErrors(form, mutation.error, FIELDS);
  const open = action !== null;

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    extend.reset();
    revoke.reset();
  }, [open, form, extend.reset, revoke.reset]);

  if (!action) return null;
  const { membership, kind } = action;
  const isRevoke = kind === 'revoke';
  const submit = (values: { days: number | null; reason: string }) => {
    const base = {
      userId,
      markId: membership.markId,
      reason: values.reason.trim() || undefined,
    };
    if (isRevoke) revoke.mutate(base);
    else extend.mutate({ ...base, days: values.days ?? 1 });
  };

  return (
    <Modal
      open={open}
      title={
        isRevoke
          ? t('membership.revokeTitle', { name: membership.markName })
          : t('membership.extendTitle', { name: membership.markName })
      }
      okText={isRevoke ? t('membership.revoke') : t('membership.extend')}
      okButtonProps={{ danger: isRevoke, ...testId(isRevoke ? 'revoke-submit' : 'extend-submit') }}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ days: 30, reason: '' }}
        onFinish={submit}
      >
        {formError ? (
          <Alert type="error" showIcon className="page-alert" title={formError} />
        ) : null}
        {isRevoke ? (
          <Alert
            type="warning"
            showIcon
            className="page-alert"
            title={t('membership.revokeWarning', { key: membership.markKey })}
          />
        ) : (
          <>
            <Typography.Paragraph type="secondary">
              {membership.expiresAt
                ? t('membership.extendFrom', {
                    date: formatDateTime(membership.expiresAt, locale),
                  })
                : t('membership.extendPermanent')}
            </Typography.Paragraph>
            <Form.Item
              name="days"
              label={t('membership.extendDays')}
              rules={[{ required: true, message: t('grant.daysRequired') }]}
            >
              <InputNumber
                min={1}
                max={36_500}
                precision={0}
                suffix={t('grant.daysUnit')}
                data-testid="extend-days"
              />
            </Form.Item>
          </>
        )}
        <Form.Item name="reason" label={t('grant.reason')} extra={t('grant.reasonHint')}>
          <Input.TextArea
            maxLength={500}
            autoSize={{ minRows: 2, maxRows: 4 }}
            data-testid={isRevoke ? 'revoke-reason' : 'extend-reason'}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
