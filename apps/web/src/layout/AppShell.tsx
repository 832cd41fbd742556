import { Layout } from 'antd';
import { useState } from 'react';
import { Outlet } from 'react-router';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { Logo, LogoMark } from '../components/Logo.tsx';
import { VerifyEmailBanner } from '../components/VerifyEmailNotice.tsx';
import { AppNav } from './AppNav.tsx';
import './AppShell.css';
import { MemberEventsListener } from './MemberEventsListener.tsx';
import { UserMenu } from './UserMenu.tsx';

/**
 * The signed-in frame: side navigation, a header with language and user menus, the page, and the
 * one live subscription to member events.
 */
export function AppShell() {
  const [collapsed, setCollapsed] = useState(false);
  return (
    <Layout className="app-shell">
      <MemberEventsListener />
      <Layout.Sider
        theme="light"
        width={232}
        collapsedWidth={72}
        breakpoint="lg"
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        className="app-shell__sider"
      >
        <div className="app-shell__brand">{collapsed ? <LogoMark /> : <Logo />}</div>
        <AppNav />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="app-shell__header">
          <LanguageSwitch />
          <UserMenu />
        </Layout.Header>
        <Layout.Content className="app-shell__content">
          <main className="app-shell__page">
            <VerifyEmailBanner />
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
