import { Alert, Checkbox, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { type FieldMap, useServerErrors } from '../../components/forms/useServerErrors.ts';
import { useT } from '../../i18n/useT.ts';
import { testId } from '../../lib/testId.ts';
import { type MarkRow, trpc } from '../../lib/trpc.ts';
import { useMembershipChange } from './useMembershipChange.ts';

interface GrantValues {
  markId?: string;
  days: number | null;
  noEnd: boolean;
  reason: string;
}

const FIELDS: FieldMap = { markId: 'markId', days: 'days', reason: 'reason' };
const INITIAL: GrantValues = { days: 30, noEnd: false, reason: '' };

/** Every mark an admin can grant: the platform's, then each vendor's. */
function useGrantableMarks(enabled: boolean) {
  const platform = trpc.admin.marks.list.useQuery(undefined, { enabled });
  const vendors = trpc.admin.vendors.list.useQuery(undefined, { enabled });
  const vendorMarks = trpc.useQueries((q) =>
    (vendors.data ?? []).map((vendor) => q.admin.marks.list({ tenantId: vendor.id }, { enabled })),
  );
  const option = (mark: MarkRow) => ({
    value: mark.id,
    label: `${mark.name} · ${mark.key}`,
    title: mark.key,
  });
  const groups = [
    { label: 'platform', title: null as string | null, marks: platform.data ?? [] },
    ...(vendors.data ?? []).map((vendor, index) => ({
      label: vendor.id,
      title: vendor.name,
      marks: vendorMarks[index]?.data ?? [],
    })),
  ];
  const loading = platform.isPending || vendors.isPending || vendorMarks.some((q) => q.isPending);
  return { groups, option, loading };
}

export function GrantMarkModal({
  userId,
  open,
  onClose,
}: {
  userId: string;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<GrantValues>();
  const { grant } = useMembershipChange(userId, onClose);
  const formError = useServerErrors(form, grant.error, FIELDS);
  const noEnd = Form.useWatch('noEnd', form) ?? false;
  const { groups, option, loading } = useGrantableMarks(open);

  useEffect(() => {
    if (open) {
      form.resetFields();
      grant.reset();
    }
  }, [open, form, grant.reset]);

  const options = groups
    .filter((group) => group.marks.length > 0)
    .map((group) => ({
      label: group.title ?? t('grant.platformMarks'),
      options: group.marks.map((mark) => ({
        ...option(mark),
        label: <span data-testid={`mark-option-${mark.key}`}>{option(mark).label}</span>,
        search: option(mark).label,
      })),
    }));

  return (
    <Modal
      open={open}
      title={t('grant.title')}
      okText={t('grant.submit')}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={grant.isPending}
      okButtonProps={{ ...testId('grant-submit') }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={INITIAL}
        onFinish={(values) =>
          grant.mutate({
            userId,
            markId: values.markId ?? '',
            days: values.noEnd ? null : (values.days ?? null),
            reason: values.reason.trim() || undefined,
          })
        }
      >
        {formError ? (
          <Alert type="error" showIcon className="page-alert" title={formError} />
        ) : null}
        <Form.Item
          name="markId"
          label={t('grant.mark')}
          rules={[{ required: true, message: t('grant.markRequired') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'search' }}
            loading={loading}
            placeholder={t('grant.markPlaceholder')}
            options={options}
            data-testid="grant-mark-select"
          />
        </Form.Item>
        <Form.Item label={t('grant.length')} required={!noEnd}>
          <div className="inline-fields">
            <Form.Item
              name="days"
              noStyle
              rules={[{ required: !noEnd, message: t('grant.daysRequired') }]}
            >
              <InputNumber
                min={1}
                max={36_500}
                precision={0}
                disabled={noEnd}
                suffix={t('grant.daysUnit')}
                data-testid="grant-days"
              />
            </Form.Item>
            <Form.Item name="noEnd" valuePropName="checked" noStyle>
              <Checkbox data-testid="grant-no-end">{t('grant.noEnd')}</Checkbox>
            </Form.Item>
          </div>
        </Form.Item>
        <Form.Item name="reason" label={t('grant.reason')} extra={t('grant.reasonHint')}>
          <Input.TextArea
            maxLength={500}
            autoSize={{ minRows: 2, maxRows: 4 }}
            data-testid="grant-reason"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
