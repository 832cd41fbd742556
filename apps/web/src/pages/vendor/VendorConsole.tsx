import {
  LineChartOutlined,
  RobotOutlined,
  ShopOutlined,
  ShoppingOutlined,
  TagsOutlined,
  TeamOutlined,
  UserAddOutlined,
} from '@ant-design/icons';
import { Alert, Card, Result, Select, Skeleton, Tag } from 'antd';
import { Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { BackHomeButton } from '../../components/BackHomeButton.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { RouteTabs } from '../../components/RouteTabs.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { trpc } from '../../lib/trpc.ts';
import { type VendorContext, vendorPath } from './vendorContext.ts';

/** `/vendor/:tenantId/*`: one vendor's marks, plans, subscribers and staff. */
export function VendorConsole() {
  const { t, lookup } = useLocale();
  const { tenantId = '' } = useParams();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const mine = trpc.vendor.mine.useQuery();
  const base = `/vendor/${encodeURIComponent(tenantId)}`;

  if (mine.isPending) {
    return (
      <Card variant="borderless">
        <Skeleton active />
      </Card>
    );
  }
  if (mine.error) return <QueryError error={mine.error} onRetry={() => void mine.refetch()} />;
  const vendor = mine.data.find((v) => v.id === tenantId);
  if (!vendor) {
    return (
      <Result
        status="404"
        title={t('vendorConsole.notFound')}
        subTitle={t('vendorConsole.notFoundDetail')}
        extra={<BackHomeButton />}
      />
    );
  }
  const context: VendorContext = { vendor, canManage: vendor.role !== 'staff' };
  const tab = pathname.slice(base.length + 1).split('/')[0] || 'marks';

  return (
    <div data-testid="vendor-console" data-tenant-id={vendor.id}>
      <PageHeader
        title={
          <span className="card-title-icon">
            <ShopOutlined /> {vendor.name}
          </span>
        }
        subtitle={
          <>
            {/* A platform admin with no role here sees the console as the platform, not as staff. */}
            {vendor.viaPlatform ? (
              <Tag color="blue" className="vendor-role-tag" data-testid="vendor-via-platform">
                {t('vendorConsole.viaPlatform')}
              </Tag>
            ) : (
              <Tag
                color={vendor.role === 'staff' ? 'default' : 'purple'}
                className="vendor-role-tag"
                data-testid="vendor-role"
              >
                {lookup(`roles.${vendor.role}`) ?? vendor.role}
              </Tag>
            )}
            {context.canManage ? t('vendorConsole.subtitle') : t('vendorConsole.readOnly')}
          </>
        }
        extra={
          mine.data.length > 1 ? (
            <Select
              value={vendor.id}
              onChange={(id: string) => navigate(vendorPath(id, tab))}
              options={mine.data.map((v) => ({ value: v.id, label: v.name }))}
              className="vendor-switch"
              data-testid="vendor-switch"
            />
          ) : null
        }
      />
      {vendor.suspendedAt ? (
        <Alert
          type="warning"
          showIcon
          className="page-alert"
          title={t('vendorConsole.suspendedNotice')}
          description={vendor.suspendedReason ?? undefined}
          data-testid="vendor-suspended-notice"
        />
      ) : null}
      <RouteTabs
        base={base}
        testIdPrefix="vendor-tab"
        tabs={[
          { key: 'marks', label: t('vendorConsole.marks'), icon: <TagsOutlined /> },
          { key: 'plans', label: t('vendorConsole.plans'), icon: <ShoppingOutlined /> },
          { key: 'assistants', label: t('vendorConsole.assistants'), icon: <RobotOutlined /> },
          { key: 'subscribers', label: t('vendorConsole.subscribers'), icon: <TeamOutlined /> },
          // Money is for owners and admins: staff run the console without seeing revenue.
          ...(context.canManage
            ? [
                {
                  key: 'revenue',
                  label: t('vendorConsole.revenue'),
                  icon: <LineChartOutlined />,
                },
              ]
            : []),
          { key: 'staff', label: t('vendorConsole.staff'), icon: <UserAddOutlined /> },
        ]}
      />
      <Outlet context={context} />
    </div>
  );
}
