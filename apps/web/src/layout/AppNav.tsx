import {
  CrownOutlined,
  DashboardOutlined,
  MessageOutlined,
  ShopOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Menu, type MenuProps } from 'antd';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import type { PlainMessageKey } from '../i18n/translate.ts';
import { useT } from '../i18n/useT.ts';
import { useMe } from '../lib/session.ts';
import { trpc } from '../lib/trpc.ts';

interface NavEntry {
  path: string;
  label: PlainMessageKey;
  icon: ReactNode;
  /** Test hook: `[data-testid=nav-<id>]`. */
  id: string;
  adminOnly?: boolean;
  /** Shown only to people who work for at least one vendor. */
  vendorOnly?: boolean;
}

const NAV: NavEntry[] = [
  { path: '/chat', label: 'nav.chat', icon: <MessageOutlined />, id: 'chat' },
  { path: '/plans', label: 'nav.plans', icon: <CrownOutlined />, id: 'plans' },
  { path: '/usage', label: 'nav.usage', icon: <DashboardOutlined />, id: 'usage' },
  { path: '/account', label: 'nav.account', icon: <UserOutlined />, id: 'account' },
  { path: '/vendor', label: 'nav.vendor', icon: <ShopOutlined />, id: 'vendor', vendorOnly: true },
  { path: '/admin', label: 'nav.admin', icon: <TeamOutlined />, id: 'admin', adminOnly: true },
];

const VENDORS_STALE_MS = 60_000;

/** The side navigation. Admin appears only for platform admins, Vendor only for vendor staff. */
export function AppNav() {
  const t = useT();
  const me = useMe();
  const { pathname } = useLocation();
  const vendors = trpc.vendor.mine.useQuery(undefined, { staleTime: VENDORS_STALE_MS });
  const worksForVendor = (vendors.data?.length ?? 0) > 0;
  const items: MenuProps['items'] = NAV.filter(
    (entry) => (!entry.adminOnly || me.isPlatformAdmin) && (!entry.vendorOnly || worksForVendor),
  ).map((entry) => ({
    key: entry.path,
    icon: entry.icon,
    label: (
      <Link to={entry.path} data-testid={`nav-${entry.id}`}>
        {t(entry.label)}
      </Link>
    ),
  }));
  const selected = NAV.find(
    (entry) => pathname === entry.path || pathname.startsWith(`${entry.path}/`),
  );
  return (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={selected ? [selected.path] : []}
      className="app-nav"
    />
  );
}
