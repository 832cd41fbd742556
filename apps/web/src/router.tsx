import { createBrowserRouter, Navigate } from 'react-router';
import { AppShell } from './layout/AppShell.tsx';
import { GuestOnly, RequireAdmin, RequireAuth } from './layout/guards.tsx';
import { AccountPage } from './pages/AccountPage.tsx';
import { AdminUsersPage } from './pages/AdminUsersPage.tsx';
import { ChatPage } from './pages/ChatPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { PlansPage } from './pages/PlansPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { SignUpPage } from './pages/SignUpPage.tsx';
import { UsagePage } from './pages/UsagePage.tsx';
import { HOME_PATH } from './paths.ts';

export const router = createBrowserRouter([
  {
    element: <GuestOnly />,
    children: [
      { path: '/sign-in', element: <SignInPage /> },
      { path: '/sign-up', element: <SignUpPage /> },
    ],
  },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppShell />,
        children: [
          { path: '/', element: <Navigate to={HOME_PATH} replace /> },
          { path: '/chat', element: <ChatPage /> },
          { path: '/plans', element: <PlansPage /> },
          { path: '/usage', element: <UsagePage /> },
          { path: '/account', element: <AccountPage /> },
          {
            path: '/admin',
            element: (
              <RequireAdmin>
                <AdminUsersPage />
              </RequireAdmin>
            ),
          },
        ],
      },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
]);
