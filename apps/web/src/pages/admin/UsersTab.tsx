import { RightOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData } from '@tanstack/react-query';
import { Card, Empty, Flex, Input, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { QueryError } from '../../components/QueryError.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { formatDateTime } from '../../lib/format.ts';
import { testId } from '../../lib/testId.ts';
import { type AdminUserRow, trpc } from '../../lib/trpc.ts';
import { useDebouncedValue } from '../../lib/useDebouncedValue.ts';
import { DisabledTag, UnverifiedTag, UserAccessButton } from './UserAccess.tsx';

const SEARCH_DEBOUNCE_MS = 250;

export const userDetailPath = (userId: string) => `/admin/users/${encodeURIComponent(userId)}`;

/** Platform admins: every user, searchable by email or name; a row opens the user's detail. */
export function UsersTab() {
  const { t, locale, lookup } = useLocale();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const query = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const users = trpc.admin.users.list.useQuery(query ? { search: query } : {}, {
    placeholderData: keepPreviousData,
  });

  const columns: TableColumnsType<AdminUserRow> = [
    {
      key: 'email',
      title: t('admin.col.email'),
      render: (_, user) => (
        <Link to={userDetailPath(user.id)} data-testid="admin-user-link">
          <Typography.Text strong>{user.email}</Typography.Text>
        </Link>
      ),
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
    {
      key: 'status',
      render: (_, user) => (
        <>
          <DisabledTag user={user} />
          <UnverifiedTag user={user} />
        </>
      ),
    },
    {
      key: 'open',
      align: 'right',
      render: (_, user) => (
        <Flex gap={8} justify="flex-end" align="center">
          <UserAccessButton user={user} size="small" />
          <RightOutlined className="muted" />
        </Flex>
      ),
    },
  ];

  const emptyText = query ? t('admin.emptySearch', { search: query }) : t('admin.empty');
  return (
    <div data-testid="admin-users">
      <Card
        variant="borderless"
        title={t('admin.title')}
        extra={
          users.data ? (
            <Tag className="count-tag">{t('admin.count', { count: users.data.length })}</Tag>
          ) : null
        }
      >
        <Typography.Paragraph type="secondary">{t('admin.subtitle')}</Typography.Paragraph>
        <QueryError error={users.error} onRetry={() => void users.refetch()} />
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
          rowClassName="clickable-row"
          onRow={(user) => ({
            ...testId('admin-user-row'),
            onClick: (event) => {
              // Let the email link and the row's buttons work as they do; clicks in the disable
              // dialog bubble here through React's portal but are not inside the row.
              const target = event.target as HTMLElement;
              if (!event.currentTarget.contains(target) || target.closest('a, button')) return;
              navigate(userDetailPath(user.id));
            },
          })}
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
