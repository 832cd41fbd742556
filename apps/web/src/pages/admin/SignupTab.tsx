import { MailOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Popconfirm,
  Radio,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useServerErrors } from '../../components/forms/useServerErrors.ts';
import { QueryError } from '../../components/QueryError.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { describeError } from '../../lib/errorMessages.ts';
import { toAppError } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { type RouterOutputs, trpc } from '../../lib/trpc.ts';

type Invite = RouterOutputs['admin']['signup']['invites'][number];
type Mode = RouterOutputs['admin']['signup']['mode']['mode'];

const MODES: Mode[] = ['open', 'invite', 'closed'];
const STATUS_COLORS: Record<Invite['status'], string> = {
  pending: 'gold',
  used: 'green',
  revoked: 'default',
  expired: 'red',
};

/**
 * Admin → Sign-up (decision 022): who may create an account (open, invite-only, closed), inviting
 * someone by mail, and the invites sent with their status (a pending one can be revoked).
 */
export function SignupTab() {
  const { t, locale, lookup } = useLocale();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const mode = trpc.admin.signup.mode.useQuery();
  const invites = trpc.admin.signup.invites.useQuery();
  const onError = (error: unknown) => void message.error(describeError(toAppError(error), lookup));
  const setMode = trpc.admin.signup.setMode.useMutation({
    onSuccess: (data) => {
      utils.admin.signup.mode.setData(undefined, data);
      void message.success(
        t('signupAdmin.modeSaved', { mode: t(`signupAdmin.mode.${data.mode}`) }),
      );
    },
    onError,
  });
  const [form] = Form.useForm<{ email: string }>();
  const invite = trpc.admin.signup.invite.useMutation({
    onSuccess: ({ email }) => {
      form.resetFields();
      void message.success(t('signupAdmin.inviteSent', { email }));
      void utils.admin.signup.invites.invalidate();
    },
  });
  const inviteError = useServerErrors(form, invite.error, { email: 'email' });
  const revoke = trpc.admin.signup.revokeInvite.useMutation({
    onSuccess: () => void message.success(t('signupAdmin.revoked')),
    onError,
    onSettled: () => utils.admin.signup.invites.invalidate(),
  });

  const columns: TableColumnsType<Invite> = [
    { key: 'email', title: t('signupAdmin.col.email'), dataIndex: 'email' },
    {
      key: 'status',
      title: t('signupAdmin.col.status'),
      render: (_, i) => (
        <Tag color={STATUS_COLORS[i.status]} data-testid="invite-status">
          {t(`signupAdmin.status.${i.status}`)}
        </Tag>
      ),
    },
    {
      key: 'sent',
      title: t('signupAdmin.col.sent'),
      render: (_, i) => <span className="nowrap">{formatDateTime(i.createdAt, locale)}</span>,
    },
    {
      key: 'expires',
      title: t('signupAdmin.col.expires'),
      render: (_, i) => <span className="nowrap">{formatDateTime(i.expiresAt, locale)}</span>,
    },
    { key: 'by', title: t('signupAdmin.col.by'), render: (_, i) => i.invitedByEmail ?? '—' },
    {
      key: 'actions',
      title: '',
      render: (_, i) =>
        i.status === 'pending' ? (
          <Popconfirm
            title={t('signupAdmin.revokeConfirm', { email: i.email })}
            onConfirm={() => revoke.mutateAsync({ id: i.id }).catch(() => undefined)}
          >
            <Button size="small" danger data-testid="invite-revoke">
              {t('signupAdmin.revoke')}
            </Button>
          </Popconfirm>
        ) : null,
    },
  ];

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="signup-admin">
      <Card title={t('signupAdmin.modeTitle')}>
        <Typography.Paragraph type="secondary">{t('signupAdmin.modeLead')}</Typography.Paragraph>
        {mode.error ? <QueryError error={mode.error} onRetry={() => mode.refetch()} /> : null}
        <Radio.Group
          value={mode.data?.mode}
          disabled={mode.isPending || setMode.isPending}
          onChange={(event) => setMode.mutate({ mode: event.target.value as Mode })}
          optionType="button"
          buttonStyle="solid"
          data-testid="signup-mode"
        >
          {MODES.map((m) => (
            <Radio.Button key={m} value={m} data-testid={`signup-mode-${m}`}>
              {t(`signupAdmin.mode.${m}`)}
            </Radio.Button>
          ))}
        </Radio.Group>
      </Card>

      <Card title={t('signupAdmin.inviteTitle')}>
        <Typography.Paragraph type="secondary">{t('signupAdmin.inviteLead')}</Typography.Paragraph>
        <Form
          form={form}
          layout="inline"
          requiredMark={false}
          onFinish={(values) => invite.mutate({ email: values.email.trim(), locale })}
          onValuesChange={() => invite.reset()}
        >
          <Form.Item
            name="email"
            rules={[
              { required: true, whitespace: true, message: t('validation.emailRequired') },
              { type: 'email', message: t('validation.emailInvalid') },
            ]}
            style={{ flex: '1 1 280px' }}
          >
            <Input
              placeholder={t('signupAdmin.inviteEmail')}
              aria-label={t('signupAdmin.inviteEmail')}
              autoComplete="off"
              data-testid="invite-email"
            />
          </Form.Item>
          <Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              icon={<MailOutlined />}
              loading={invite.isPending}
              data-testid="invite-send"
            >
              {t('signupAdmin.inviteSend')}
            </Button>
          </Form.Item>
        </Form>
        {inviteError ? (
          <Typography.Text type="danger" data-testid="invite-error">
            {inviteError}
          </Typography.Text>
        ) : null}
      </Card>

      <Card title={t('signupAdmin.invitesTitle')}>
        {invites.error ? (
          <QueryError error={invites.error} onRetry={() => invites.refetch()} />
        ) : null}
        <Table
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={invites.data ?? []}
          loading={invites.isPending}
          pagination={false}
          locale={{ emptyText: <Empty description={t('signupAdmin.empty')} /> }}
          onRow={(i) => ({ 'data-testid': `invite-row-${i.email}` }) as object}
        />
      </Card>
    </Space>
  );
}
