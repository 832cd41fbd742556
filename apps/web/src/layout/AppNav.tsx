import {
  CrownOutlined,
  DashboardOutlined,
  MessageOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Menu, type MenuProps } from 'antd';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import type { PlainMessageKey } from '../i18n/translate.ts';
import { useT } from '../i18n/useT.ts';
import { useMe } from '../lib/session.ts';

interface NavEntry {
  path: string;
  label: PlainMessageKey;
  icon: ReactNode;
  /** Test hook: `[data-testid=nav-<id>]`. */
  id: string;
  adminOnly?: boolean;
}

const NAV: NavEntry[] = [
  { path: '/chat', label: 'nav.chat', icon: <MessageOutlined />, id: 'chat' },
  { path: '/plans', label: 'nav.plans', icon: <CrownOutlined />, id: 'plans' },
  { path: '/usage', label: 'nav.usage', icon: <DashboardOutlined />, id: 'usage' },
  { path: '/account', label: 'nav.account', icon: <UserOutlined />, id: 'account' },
  { path: '/admin', label: 'nav.admin', icon: <TeamOutlined />, id: 'admin', adminOnly: true },
];

/** The side navigation. Admin appears only for platform admins. */
export function AppNav() {
  const t = useT();
  const me = useMe();
  const { pathname } = useLocation();
  const items: MenuProps['items'] = NAV.filter(
    (entry) => !entry.adminOnly || me.isPlatformAdmin,
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
