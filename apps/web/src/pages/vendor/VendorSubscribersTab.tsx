import { TeamOutlined } from '@ant-design/icons';
import { keepPreviousData } from '@tanstack/react-query';
import { Card, Empty, Switch, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { MembershipStatusTag, SourceTag } from '../../components/MembershipTags.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { formatDateTime } from '../../lib/format.ts';
import { testId } from '../../lib/testId.ts';
import { type SubscriberRow, trpc } from '../../lib/trpc.ts';
import { useVendor } from './vendorContext.ts';

/** Who holds (or held) this vendor's marks. */
export function VendorSubscribersTab() {
  const { t, locale } = useLocale();
  const { vendor } = useVendor();
  const [activeOnly, setActiveOnly] = useState(true);
  const subscribers = trpc.vendor.subscribers.list.useQuery(
    { tenantId: vendor.id, activeOnly },
    { placeholderData: keepPreviousData },
  );

  const columns: TableColumnsType<SubscriberRow> = [
    {
      key: 'email',
      title: t('subscribers.col.email'),
      render: (_, s) => <Typography.Text strong>{s.email}</Typography.Text>,
    },
    {
      key: 'mark',
      title: t('subscribers.col.mark'),
      render: (_, s) => <Typography.Text code>{s.markKey}</Typography.Text>,
    },
    {
      key: 'status',
      title: t('userDetail.col.status'),
      render: (_, s) => <MembershipStatusTag status={s.status} activeNow={s.activeNow} />,
    },
    {
      key: 'source',
      title: t('userDetail.col.source'),
      render: (_, s) => <SourceTag source={s.source} />,
    },
    {
      key: 'starts',
      title: t('userDetail.col.starts'),
      render: (_, s) => formatDateTime(s.startsAt, locale),
    },
    {
      key: 'expires',
      title: t('userDetail.col.expires'),
      render: (_, s) => (s.expiresAt ? formatDateTime(s.expiresAt, locale) : t('myMarks.noEnd')),
    },
  ];

  return (
    <Card
      variant="borderless"
      title={t('subscribers.title')}
      extra={
        <span className="switch-label">
          <Switch
            id="subscribers-active-only"
            size="small"
            checked={activeOnly}
            onChange={setActiveOnly}
            data-testid="subscribers-active-only"
          />
          <label htmlFor="subscribers-active-only">{t('subscribers.activeOnly')}</label>
        </span>
      }
    >
      <QueryError error={subscribers.error} onRetry={() => void subscribers.refetch()} />
      <Table
        rowKey={(s) => `${s.userId}:${s.markKey}`}
        columns={columns}
        dataSource={subscribers.data}
        loading={subscribers.isFetching}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        onRow={() => testId('subscriber-row')}
        locale={{
          emptyText: (
            <Empty
              image={<TeamOutlined className="empty-icon" />}
              description={activeOnly ? t('subscribers.emptyActive') : t('subscribers.empty')}
            />
          ),
        }}
      />
    </Card>
  );
}
