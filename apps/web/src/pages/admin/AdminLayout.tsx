import {
  AuditOutlined,
  CreditCardOutlined,
  LineChartOutlined,
  MailOutlined,
  RobotOutlined,
  ShopOutlined,
  ShoppingOutlined,
  TagsOutlined,
  TeamOutlined,
  UserAddOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import { Outlet } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RouteTabs } from '../../components/RouteTabs.tsx';
import { useT } from '../../i18n/useT.ts';

export const ADMIN_BASE = '/admin';

/** The admin console: one header, a tab per area (each a sub-route), the area below. */
export function AdminLayout() {
  const t = useT();
  return (
    <div data-testid="admin-page">
      <PageHeader title={t('adminNav.title')} subtitle={t('adminNav.subtitle')} />
      <RouteTabs
        base={ADMIN_BASE}
        testIdPrefix="admin-tab"
        tabs={[
          { key: 'users', label: t('adminNav.users'), icon: <TeamOutlined /> },
          { key: 'marks', label: t('adminNav.marks'), icon: <TagsOutlined /> },
          { key: 'plans', label: t('adminNav.plans'), icon: <ShoppingOutlined /> },
          { key: 'models', label: t('adminNav.models'), icon: <RobotOutlined /> },
          { key: 'vendors', label: t('adminNav.vendors'), icon: <ShopOutlined /> },
          { key: 'credits', label: t('adminNav.credits'), icon: <WalletOutlined /> },
          { key: 'revenue', label: t('adminNav.revenue'), icon: <LineChartOutlined /> },
          { key: 'payments', label: t('adminNav.payments'), icon: <CreditCardOutlined /> },
          { key: 'audit', label: t('adminNav.audit'), icon: <AuditOutlined /> },
          { key: 'outbox', label: t('adminNav.outbox'), icon: <MailOutlined /> },
          { key: 'signup', label: t('adminNav.signup'), icon: <UserAddOutlined /> },
        ]}
      />
      <Outlet />
    </div>
  );
}
