import { Result } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { BackHomeButton } from '../components/BackHomeButton.tsx';
import { FullPageError, FullPageLoading } from '../components/FullPageStatus.tsx';
import { useT } from '../i18n/useT.ts';
import { MeContext, useMe, useMeQuery } from '../lib/session.ts';
import { trpc } from '../lib/trpc.ts';
import { HOME_PATH, SIGN_IN_PATH, TWO_FACTOR_ENROL_PATH } from '../paths.ts';

/** Where a visitor was going when we sent them to sign in. */
export interface SignInRedirectState {
  from?: string;
}

/** Where to go once signed in: back where the visitor was headed, else the home page. */
export function targetAfterSignIn(state: unknown): string {
  const from = (state as SignInRedirectState | null)?.from;
  // Same-origin paths only: `//host` would leave the site.
  const safe = from?.startsWith('/') && !from.startsWith('//') && !from.startsWith('/sign-');
  return safe && from ? from : HOME_PATH;
}

/** App routes: visitors go to /sign-in (remembering where they were going). */
export function RequireAuth() {
  const me = useMeQuery();
  const location = useLocation();
  if (me.isPending) return <FullPageLoading />;
  if (me.isError) return <FullPageError onRetry={() => void me.refetch()} />;
  if (!me.data) {
    const state: SignInRedirectState = { from: location.pathname + location.search };
    return <Navigate to={SIGN_IN_PATH} replace state={state} />;
  }
  return (
    <MeContext value={me.data}>
      <Outlet />
    </MeContext>
  );
}

/** /sign-in and /sign-up: members are already in, so they go to the app. */
export function GuestOnly() {
  const me = useMeQuery();
  const location = useLocation();
  if (me.isPending) return <FullPageLoading />;
  // If we cannot tell (server down), show the form: signing in will report the real error.
  if (me.data) return <Navigate to={targetAfterSignIn(location.state)} replace />;
  return <Outlet />;
}

/**
 * Platform-admin pages. The server checks too; this only avoids a page of 403s. When admins must
 * use two-factor authentication (ADMIN_TWO_FACTOR_REQUIRED) and this one has not turned it on, the
 * console sends them to Account to enrol (the server answers TWO_FACTOR_REQUIRED meanwhile).
 */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const me = useMe();
  const t = useT();
  const twoFactor = trpc.twoFactor.status.useQuery(undefined, { enabled: me.isPlatformAdmin });
  if (!me.isPlatformAdmin) {
    return (
      <Result status="403" title="403" subTitle={t('admin.forbidden')} extra={<BackHomeButton />} />
    );
  }
  if (twoFactor.isPending) return <FullPageLoading />;
  if (twoFactor.data?.requiredForAdmin && !twoFactor.data.enabled) {
    return <Navigate to={TWO_FACTOR_ENROL_PATH} replace />;
  }
  return children;
}
