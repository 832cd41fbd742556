import { Tabs } from 'antd';
import type { ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';

export interface RouteTab {
  /** The path segment under `base` (`users` → `/admin/users`). */
  key: string;
  label: ReactNode;
  icon?: ReactNode;
}

/** Tabs that are sub-routes: the URL picks the tab, choosing a tab navigates. */
export function RouteTabs({
  base,
  tabs,
  testIdPrefix,
}: {
  base: string;
  tabs: RouteTab[];
  testIdPrefix: string;
}) {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const rest = pathname.startsWith(`${base}/`) ? pathname.slice(base.length + 1) : '';
  const active = tabs.find((tab) => rest === tab.key || rest.startsWith(`${tab.key}/`));
  return (
    <Tabs
      className="route-tabs"
      activeKey={active?.key ?? tabs[0]?.key}
      onChange={(key) => navigate(`${base}/${key}`)}
      items={tabs.map((tab) => ({
        key: tab.key,
        icon: tab.icon,
        label: <span data-testid={`${testIdPrefix}-${tab.key}`}>{tab.label}</span>,
      }))}
    />
  );
}
