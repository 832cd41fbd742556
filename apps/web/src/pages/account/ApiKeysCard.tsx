import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Popconfirm,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { type FieldMap, useServerErrors } from '../../components/forms/useServerErrors.ts';
import { QueryError } from '../../components/QueryError.tsx';
import { UpgradePrompt } from '../../components/UpgradePrompt.tsx';
import { useLocale } from '../../i18n/useT.ts';
import {
  type ApiKeyRow,
  apiAccessDenial,
  apiBaseUrl,
  keyHint,
  type NewApiKey,
  sortApiKeys,
} from '../../lib/apiKeys.ts';
import { toDenial } from '../../lib/denial.ts';
import { describeError } from '../../lib/errorMessages.ts';
import { toAppError } from '../../lib/errors.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { testId } from '../../lib/testId.ts';
import { trpc } from '../../lib/trpc.ts';
import { ApiUsageGuide } from './ApiUsageGuide.tsx';
import { NewKeyModal } from './NewKeyModal.tsx';
import '../../api-keys.css';

const FIELDS: FieldMap = { name: 'name' };
const NAME_MAX = 80;

/** Test hooks: `[data-testid=api-key-row][data-key-name=…]`, revoked ones `data-revoked=true`. */
function rowProps(key: ApiKeyRow): object {
  return {
    'data-testid': 'api-key-row',
    'data-key-name': key.name,
    'data-revoked': key.revokedAt ? 'true' : 'false',
  };
}

/**
 * The member's keys for the OpenAI-compatible API: create one (shown once), see when each was
 * last used, revoke. Without API access in the plan, an upgrade prompt says which plans grant it.
 */
export function ApiKeysCard() {
  const { t, locale, lookup } = useLocale();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const list = trpc.apiKeys.list.useQuery();
  // Live: member events refresh `membership.mine`; API access comes and goes with it.
  const mine = trpc.membership.mine.useQuery();
  const catalog = trpc.membership.catalog.useQuery(undefined, {
    enabled: list.data?.apiAccess === false,
  });
  const seenMembership = useRef(mine.data);
  useEffect(() => {
    if (seenMembership.current && mine.data && seenMembership.current !== mine.data) {
      void utils.apiKeys.list.invalidate();
    }
    seenMembership.current = mine.data;
  }, [mine.data, utils]);

  const [form] = Form.useForm<{ name: string }>();
  const [created, setCreated] = useState<NewApiKey | null>(null);
  const create = trpc.apiKeys.create.useMutation({
    onSuccess: (key) => {
      setCreated(key);
      form.resetFields();
    },
    onSettled: () => utils.apiKeys.list.invalidate(),
  });
  const revoke = trpc.apiKeys.revoke.useMutation({
    onSuccess: () => void message.success(t('apiKeys.revoked')),
    onError: (error) => void message.error(describeError(toAppError(error), lookup, locale)),
    onSettled: () => utils.apiKeys.list.invalidate(),
  });
  const createDenied = toDenial(create.error) !== null;
  const formError = useServerErrors(form, createDenied ? null : create.error, FIELDS);

  const keys = useMemo(() => sortApiKeys(list.data?.keys ?? []), [list.data]);
  const apiAccess = list.data?.apiAccess ?? false;
  const baseUrl = apiBaseUrl(window.location.origin);

  const when = (iso: string | null) =>
    iso ? (
      <Tooltip title={formatDateTime(iso, locale)}>
        <span>{formatRelative(iso, locale)}</span>
      </Tooltip>
    ) : (
      <span className="muted">{t('common.never')}</span>
    );

  const columns: TableColumnsType<ApiKeyRow> = [
    {
      key: 'name',
      title: t('apiKeys.col.name'),
      render: (_, key) => (
        <div className="cell-stack">
          <Typography.Text strong delete={key.revokedAt !== null} data-testid="api-key-name">
            {key.name}
          </Typography.Text>
          <Typography.Text type="secondary" className="cell-stack__sub api-key-hint">
            {keyHint(key.id)}
          </Typography.Text>
        </div>
      ),
    },
    { key: 'created', title: t('apiKeys.col.created'), render: (_, key) => when(key.createdAt) },
    {
      key: 'lastUsed',
      title: t('apiKeys.col.lastUsed'),
      render: (_, key) => <span data-testid="api-key-last-used">{when(key.lastUsedAt)}</span>,
    },
    {
      key: 'status',
      title: t('apiKeys.col.status'),
      render: (_, key) =>
        key.revokedAt ? (
          <Tooltip title={formatDateTime(key.revokedAt, locale)}>
            <Tag data-testid="api-key-status" data-status="revoked">
              {t('apiKeys.statusRevoked')}
            </Tag>
          </Tooltip>
        ) : (
          <Tag color="green" data-testid="api-key-status" data-status="active">
            {t('apiKeys.statusActive')}
          </Tag>
        ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      align: 'right',
      render: (_, key) =>
        key.revokedAt ? null : (
          <Popconfirm
            title={t('apiKeys.revokeTitle', { name: key.name })}
            description={t('apiKeys.revokeDetail')}
            okText={t('apiKeys.revoke')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true, ...testId('api-key-revoke-confirm') }}
            onConfirm={() => revoke.mutateAsync({ keyId: key.id }).catch(() => undefined)}
          >
            <Button size="small" danger data-testid="api-key-revoke">
              {t('apiKeys.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Card
      variant="borderless"
      title={
        <span className="card-title-icon">
          <KeyOutlined /> {t('apiKeys.title')}
        </span>
      }
      extra={<span className="muted api-keys__detail">{t('apiKeys.detail')}</span>}
      data-testid="api-keys-card"
    >
      <QueryError error={list.error} onRetry={() => void list.refetch()} />
      {list.data && !apiAccess && !catalog.isPending ? (
        // Which plans grant API access, from the catalog (what the server's refusal would say).
        <UpgradePrompt denial={apiAccessDenial(catalog.data ?? [])} />
      ) : null}
      {createDenied ? <UpgradePrompt error={create.error} /> : null}
      {apiAccess ? (
        <Form
          form={form}
          layout="inline"
          className="api-keys__form"
          onFinish={(values) => create.mutate({ name: values.name.trim() })}
          onValuesChange={() => {
            if (create.error) create.reset();
          }}
        >
          <Form.Item
            name="name"
            className="api-keys__name"
            rules={[
              { required: true, whitespace: true, message: t('apiKeys.nameRequired') },
              { max: NAME_MAX, message: t('fieldErrors.TOO_LONG') },
            ]}
          >
            <Input
              placeholder={t('apiKeys.namePlaceholder')}
              maxLength={NAME_MAX}
              aria-label={t('apiKeys.name')}
              autoComplete="off"
              data-testid="api-key-name-input"
            />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            icon={<PlusOutlined />}
            loading={create.isPending}
            data-testid="api-key-create"
          >
            {t('apiKeys.create')}
          </Button>
        </Form>
      ) : null}
      {formError ? <Alert type="error" showIcon className="page-alert" title={formError} /> : null}
      <Table
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={keys}
        loading={list.isPending}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        onRow={rowProps}
        locale={{
          emptyText: (
            <Empty
              image={<KeyOutlined className="empty-icon" />}
              description={apiAccess ? t('apiKeys.empty') : t('apiKeys.emptyNoAccess')}
            />
          ),
        }}
      />
      {apiAccess ? <ApiUsageGuide baseUrl={baseUrl} /> : null}
      <NewKeyModal created={created} onClose={() => setCreated(null)} />
    </Card>
  );
}
