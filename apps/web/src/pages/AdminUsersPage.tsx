import { SearchOutlined } from '@ant-design/icons';
import { keepPreviousData } from '@tanstack/react-query';
import { Alert, Card, Empty, Input, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { PageHeader } from '../components/PageHeader.tsx';
import { useLocale } from '../i18n/useT.ts';
import { describeError } from '../lib/errorMessages.ts';
import { toAppError } from '../lib/errors.ts';
import { formatDateTime } from '../lib/format.ts';
import { testId } from '../lib/testId.ts';
import { type AdminUserRow, trpc } from '../lib/trpc.ts';
import { useDebouncedValue } from '../lib/useDebouncedValue.ts';

const ROW_PROPS = testId('admin-user-row');
const SEARCH_DEBOUNCE_MS = 250;

/** Platform admins: every user, searchable by email or name. */
export function AdminUsersPage() {
  const { t, locale, lookup } = useLocale();
  const [search, setSearch] = useState('');
  const query = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const users = trpc.admin.users.list.useQuery(query ? { search: query } : {}, {
    placeholderData: keepPreviousData,
  });

  const columns: TableColumnsType<AdminUserRow> = [
    {
      key: 'email',
      title: t('admin.col.email'),
      render: (_, user) => <Typography.Text strong>{user.email}</Typography.Text>,
    },
    {
      key: 'name',
      title: t('admin.col.displayName'),
      render: (_, user) => user.displayName ?? <span className="muted">—</span>,
    },
    {
      key: 'roles',
      title: t('admin.col.roles'),
      render: (_, user) =>
        user.roles.length === 0 ? (
          <span className="muted">{t('admin.noRoles')}</span>
        ) : (
          user.roles.map(({ tenantId, role }) => (
            <Tag key={`${tenantId}:${role}`} color={role === 'owner' ? 'purple' : 'blue'}>
              {lookup(`roles.${role}`) ?? role}
            </Tag>
          ))
        ),
    },
    {
      key: 'created',
      title: t('admin.col.created'),
      render: (_, user) => formatDateTime(user.createdAt, locale),
    },
  ];

  const emptyText = query ? t('admin.emptySearch', { search: query }) : t('admin.empty');
  return (
    <div data-testid="admin-page">
      <PageHeader
        title={t('admin.title')}
        subtitle={t('admin.subtitle')}
        extra={
          users.data ? (
            <Tag className="count-tag">{t('admin.count', { count: users.data.length })}</Tag>
          ) : null
        }
      />
      <Card variant="borderless">
        {users.error ? (
          <Alert
            type="error"
            showIcon
            className="page-alert"
            title={describeError(toAppError(users.error), lookup)}
          />
        ) : null}
        <Input
          allowClear
          name="search"
          prefix={<SearchOutlined />}
          placeholder={t('admin.search')}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          className="admin-search"
          data-testid="admin-search"
          maxLength={254}
        />
        <Table
          rowKey="id"
          columns={columns}
          dataSource={users.data}
          loading={users.isFetching}
          onRow={() => ROW_PROPS}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />,
          }}
        />
      </Card>
    </div>
  );
}
