import { createBrowserRouter, Navigate } from 'react-router';
import { AppShell } from './layout/AppShell.tsx';
import { GuestOnly, RequireAdmin, RequireAuth } from './layout/guards.tsx';
import { AccountPage } from './pages/AccountPage.tsx';
import { AdminLayout } from './pages/admin/AdminLayout.tsx';
import { AuditTab } from './pages/admin/AuditTab.tsx';
import { CreditsTab } from './pages/admin/CreditsTab.tsx';
import { MarksTab } from './pages/admin/MarksTab.tsx';
import { ModelsTab } from './pages/admin/ModelsTab.tsx';
import { OutboxTab } from './pages/admin/OutboxTab.tsx';
import { PaymentsTab } from './pages/admin/PaymentsTab.tsx';
import { PlansTab } from './pages/admin/PlansTab.tsx';
import { SignupTab } from './pages/admin/SignupTab.tsx';
import { UserDetailPage } from './pages/admin/UserDetailPage.tsx';
import { UsersTab } from './pages/admin/UsersTab.tsx';
import { VendorsTab } from './pages/admin/VendorsTab.tsx';
import { ChatPage } from './pages/ChatPage.tsx';
import { ForgotPasswordPage } from './pages/ForgotPasswordPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { PlansPage } from './pages/PlansPage.tsx';
import { ResetPasswordPage } from './pages/ResetPasswordPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { SignUpPage } from './pages/SignUpPage.tsx';
import { UsagePage } from './pages/UsagePage.tsx';
import { VerifyEmailPage } from './pages/VerifyEmailPage.tsx';
import { VendorAssistantsTab } from './pages/vendor/VendorAssistantsTab.tsx';
import { VendorConsole } from './pages/vendor/VendorConsole.tsx';
import { VendorIndexPage } from './pages/vendor/VendorIndexPage.tsx';
import { VendorMarksTab } from './pages/vendor/VendorMarksTab.tsx';
import { VendorPlansTab } from './pages/vendor/VendorPlansTab.tsx';
import { VendorStaffTab } from './pages/vendor/VendorStaffTab.tsx';
import { VendorSubscribersTab } from './pages/vendor/VendorSubscribersTab.tsx';
import { HOME_PATH } from './paths.ts';

export const router = createBrowserRouter([
  {
    element: <GuestOnly />,
    children: [
      { path: '/sign-in', element: <SignInPage /> },
      { path: '/sign-up', element: <SignUpPage /> },
      { path: '/forgot-password', element: <ForgotPasswordPage /> },
    ],
  },
  // Opened from a reset mail, signed in or not: using it ends every session anyway.
  { path: '/reset-password', element: <ResetPasswordPage /> },
  // Opened from a verification mail, signed in or not: the token is the proof.
  { path: '/verify-email', element: <VerifyEmailPage /> },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppShell />,
        children: [
          { path: '/', element: <Navigate to={HOME_PATH} replace /> },
          // One route for both: the page (and a streaming answer) survives /chat → /chat/:id.
          { path: '/chat/:conversationId?', element: <ChatPage /> },
          { path: '/plans', element: <PlansPage /> },
          { path: '/usage', element: <UsagePage /> },
          { path: '/account', element: <AccountPage /> },
          {
            path: '/admin',
            element: (
              <RequireAdmin>
                <AdminLayout />
              </RequireAdmin>
            ),
            children: [
              { index: true, element: <Navigate to="users" replace /> },
              { path: 'users', element: <UsersTab /> },
              { path: 'users/:userId', element: <UserDetailPage /> },
              { path: 'marks', element: <MarksTab /> },
              { path: 'plans', element: <PlansTab /> },
              { path: 'models', element: <ModelsTab /> },
              { path: 'vendors', element: <VendorsTab /> },
              { path: 'credits', element: <CreditsTab /> },
              // The money views (and their chart library) load when first opened.
              {
                path: 'revenue',
                lazy: () =>
                  import('./pages/admin/RevenueTab.tsx').then((m) => ({ Component: m.RevenueTab })),
              },
              { path: 'payments', element: <PaymentsTab /> },
              { path: 'audit', element: <AuditTab /> },
              { path: 'outbox', element: <OutboxTab /> },
              { path: 'signup', element: <SignupTab /> },
            ],
          },
          { path: '/vendor', element: <VendorIndexPage /> },
          {
            path: '/vendor/:tenantId',
            element: <VendorConsole />,
            children: [
              { index: true, element: <Navigate to="marks" replace /> },
              { path: 'marks', element: <VendorMarksTab /> },
              { path: 'plans', element: <VendorPlansTab /> },
              { path: 'assistants', element: <VendorAssistantsTab /> },
              { path: 'subscribers', element: <VendorSubscribersTab /> },
              {
                path: 'revenue',
                lazy: () =>
                  import('./pages/vendor/VendorMoneyTab.tsx').then((m) => ({
                    Component: m.VendorMoneyTab,
                  })),
              },
              { path: 'staff', element: <VendorStaffTab /> },
            ],
          },
        ],
      },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
]);
