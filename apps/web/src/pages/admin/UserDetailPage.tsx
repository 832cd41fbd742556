import { ArrowLeftOutlined, PlusOutlined, UserOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Result,
  Skeleton,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { MembershipStatusTag, SourceTag } from '../../components/MembershipTags.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { toAppError } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { PLATFORM_TENANT_ID } from '../../lib/plans.ts';
import { testId } from '../../lib/testId.ts';
import { type MembershipRecord, trpc } from '../../lib/trpc.ts';
import { GrantMarkModal } from './GrantMarkModal.tsx';
import { type MembershipAction, MembershipActionModal } from './MembershipModals.tsx';
import { DisabledTag, UnverifiedTag, UserAccessButton } from './UserAccess.tsx';
import { UserCreditsCard } from './UserCreditsCard.tsx';

/** One user: profile, roles, every membership they have had, and grant / extend / revoke. */
export function UserDetailPage() {
  const { userId = '' } = useParams();
  const { t, locale, lookup } = useLocale();
  const user = trpc.admin.users.byId.useQuery({ userId });
  const vendors = trpc.admin.vendors.list.useQuery();
  const tenantName = (tenantId: string) =>
    tenantId === PLATFORM_TENANT_ID
      ? t('userDetail.platform')
      : (vendors.data?.find((v) => v.id === tenantId)?.name ?? tenantId);
  const [granting, setGranting] = useState(false);
  const [action, setAction] = useState<MembershipAction>(null);

  const back = (
    <Link to="/admin/users" className="back-link">
      <ArrowLeftOutlined /> {t('userDetail.back')}
    </Link>
  );
  if (user.error && toAppError(user.error).domainCode === 'NOT_FOUND') {
    return <Result status="404" title={t('userDetail.notFound')} extra={back} />;
  }

  const columns: TableColumnsType<MembershipRecord> = [
    {
      key: 'mark',
      title: t('userDetail.col.mark'),
      render: (_, m) => (
        <Flex gap={8} align="center">
          <Typography.Text strong>{m.markName}</Typography.Text>
          <Typography.Text code>{m.markKey}</Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'status',
      title: t('userDetail.col.status'),
      render: (_, m) => <MembershipStatusTag status={m.status} activeNow={m.activeNow} />,
    },
    {
      key: 'source',
      title: t('userDetail.col.source'),
      render: (_, m) => <SourceTag source={m.source} />,
    },
    {
      key: 'starts',
      title: t('userDetail.col.starts'),
      render: (_, m) => formatDateTime(m.startsAt, locale),
    },
    {
      key: 'expires',
      title: t('userDetail.col.expires'),
      render: (_, m) => (
        <span data-testid="membership-expires">
          {m.expiresAt ? formatDateTime(m.expiresAt, locale) : t('myMarks.noEnd')}
        </span>
      ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      align: 'right',
      render: (_, m) => (
        <Flex gap={8} justify="flex-end">
          <Button
            size="small"
            onClick={() => setAction({ kind: 'extend', membership: m })}
            data-testid="membership-extend"
          >
            {t('membership.extend')}
          </Button>
          {m.activeNow ? (
            <Button
              size="small"
              danger
              onClick={() => setAction({ kind: 'revoke', membership: m })}
              data-testid="membership-revoke"
            >
              {t('membership.revoke')}
            </Button>
          ) : null}
        </Flex>
      ),
    },
  ];

  const data = user.data;
  return (
    <div data-testid="admin-user-detail">
      <div className="detail-top">{back}</div>
      <QueryError error={user.error} onRetry={() => void user.refetch()} />
      <Flex vertical gap={16}>
        <Card variant="borderless">
          {data ? (
            <div className="user-head">
              <span className="user-head__avatar">
                <UserOutlined />
              </span>
              <div className="user-head__text">
                <Flex gap={8} align="center" wrap>
                  <Typography.Title
                    level={4}
                    className="user-head__email"
                    data-testid="detail-email"
                  >
                    {data.email}
                  </Typography.Title>
                  <DisabledTag user={data} />
                  <UnverifiedTag user={data} />
                </Flex>
                <Descriptions
                  size="small"
                  column={{ xs: 1, md: 2 }}
                  items={[
                    {
                      key: 'name',
                      label: t('admin.col.displayName'),
                      children: data.displayName ?? '—',
                    },
                    {
                      key: 'created',
                      label: t('admin.col.created'),
                      children: formatDateTime(data.createdAt, locale),
                    },
                    {
                      key: 'roles',
                      label: t('admin.col.roles'),
                      children:
                        data.roles.length === 0
                          ? t('admin.noRoles')
                          : data.roles.map((r) => (
                              <Tag key={`${r.tenantId}:${r.role}`}>
                                {tenantName(r.tenantId)} · {lookup(`roles.${r.role}`) ?? r.role}
                              </Tag>
                            )),
                    },
                    {
                      key: 'id',
                      label: t('userDetail.id'),
                      children: (
                        <Typography.Text copyable code>
                          {data.id}
                        </Typography.Text>
                      ),
                    },
                  ]}
                />
              </div>
              <UserAccessButton user={data} />
            </div>
          ) : (
            <Skeleton active avatar paragraph={{ rows: 2 }} />
          )}
        </Card>
        <Card
          variant="borderless"
          title={t('userDetail.memberships')}
          extra={
            <Button
              type="primary"
              icon={<PlusOutlined />}
              disabled={!data}
              onClick={() => setGranting(true)}
              data-testid="grant-mark"
            >
              {t('grant.open')}
            </Button>
          }
        >
          <Table
            rowKey="id"
            columns={columns}
            dataSource={data?.memberships}
            loading={user.isPending}
            pagination={false}
            scroll={{ x: 'max-content' }}
            onRow={(m) => ({ ...testId('membership-row'), 'data-mark-key': m.markKey }) as object}
            locale={{ emptyText: <Empty description={t('userDetail.noMemberships')} /> }}
          />
        </Card>
        {data ? <UserCreditsCard userId={data.id} /> : null}
      </Flex>
      <GrantMarkModal userId={userId} open={granting} onClose={() => setGranting(false)} />
      <MembershipActionModal userId={userId} action={action} onClose={() => setAction(null)} />
    </div>
  );
}
