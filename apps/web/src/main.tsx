/// <reference types="vite/client" />
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { AppProviders } from './layout/AppProviders.tsx';
import { router } from './router.tsx';
import './styles.css';
import './plans.css';
import './console.css';
import './usage.css';
import './credits.css';
import './chat.css';
import './chat-thread.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html must contain <div id="root">');

createRoot(container).render(
  <StrictMode>
    <AppProviders>
      <RouterProvider router={router} />
    </AppProviders>
  </StrictMode>,
);
