import { LockOutlined, UserAddOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, Form, Input, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { type FieldMap, useServerErrors } from '../../components/forms/useServerErrors.ts';
import { useLocale } from '../../i18n/useT.ts';
import { testId } from '../../lib/testId.ts';
import { type TenantRole, trpc } from '../../lib/trpc.ts';
import { useVendor } from './vendorContext.ts';

interface StaffValues {
  email: string;
  role: 'admin' | 'staff';
}
interface AddedMember {
  userId: string;
  email: string;
  role: TenantRole;
}
const FIELDS: FieldMap = { email: 'email', role: 'role' };

/**
 * Add a colleague by email as admin (manages marks and plans) or staff (reads only). Adding
 * someone again changes their role. The server has no staff listing yet, so this shows who was
 * added in this visit.
 */
export function VendorStaffTab() {
  const { t, lookup } = useLocale();
  const { message } = App.useApp();
  const { vendor, canManage } = useVendor();
  const [form] = Form.useForm<StaffValues>();
  const [added, setAdded] = useState<AddedMember[]>([]);
  const add = trpc.vendor.staff.add.useMutation({
    onSuccess: (member) => {
      void message.success(t('staff.added', { email: member.email }));
      setAdded((list) => [member, ...list.filter((m) => m.userId !== member.userId)]);
      form.resetFields(['email']);
    },
  });
  const formError = useServerErrors(form, add.error, FIELDS);
  const roleLabel = (role: string) => lookup(`roles.${role}`) ?? role;

  if (!canManage) {
    return (
      <Card variant="borderless" title={t('staff.title')}>
        <Empty
          image={<LockOutlined className="empty-icon" />}
          description={t('staff.readOnly')}
          data-testid="staff-read-only"
        />
      </Card>
    );
  }
  return (
    <Card variant="borderless" title={t('staff.title')}>
      <Form
        form={form}
        layout="inline"
        initialValues={{ role: 'staff' }}
        className="staff-form"
        onFinish={(values) =>
          add.mutate({ tenantId: vendor.id, email: values.email.trim(), role: values.role })
        }
        onValuesChange={() => {
          if (add.error) add.reset();
        }}
      >
        <Form.Item
          name="email"
          rules={[
            { required: true, whitespace: true, message: t('validation.emailRequired') },
            { type: 'email', message: t('validation.emailInvalid') },
          ]}
          className="staff-form__email"
        >
          <Input type="email" placeholder={t('staff.emailPlaceholder')} data-testid="staff-email" />
        </Form.Item>
        <Form.Item name="role">
          <Select
            className="staff-form__role"
            options={(['admin', 'staff'] as const).map((role) => ({
              value: role,
              label: roleLabel(role),
            }))}
            data-testid="staff-role"
          />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          icon={<UserAddOutlined />}
          loading={add.isPending}
          data-testid="staff-add"
        >
          {t('staff.add')}
        </Button>
      </Form>
      <div className="muted staff-hint">{t('staff.roleHint')}</div>
      {formError ? <Alert type="error" showIcon className="page-alert" title={formError} /> : null}
      <Table
        rowKey="userId"
        dataSource={added}
        pagination={false}
        onRow={() => testId('staff-row')}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('staff.empty')} />,
        }}
        columns={[
          { key: 'email', title: t('subscribers.col.email'), dataIndex: 'email' },
          {
            key: 'role',
            title: t('staff.role'),
            render: (_, m: AddedMember) => <Tag>{roleLabel(m.role)}</Tag>,
          },
        ]}
      />
    </Card>
  );
}
