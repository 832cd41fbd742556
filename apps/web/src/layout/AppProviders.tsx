import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { type ReactNode, useState } from 'react';
import { LocaleProvider } from '../i18n/LocaleProvider.tsx';
import type { Locale } from '../i18n/translate.ts';
import { useLocale } from '../i18n/useT.ts';
import { createQueryClient } from '../lib/queryClient.ts';
import { createTrpcClient, trpc } from '../lib/trpc.ts';
import { theme } from './theme.ts';

const ANTD_LOCALES = { en: enUS, 'zh-CN': zhCN } satisfies Record<Locale, unknown>;

function AntdConfig({ children }: { children: ReactNode }) {
  const { locale } = useLocale();
  return (
    // autoInsertSpace off: antd would render the button 登录 as 登 录.
    <ConfigProvider locale={ANTD_LOCALES[locale]} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** Everything a page needs around it: data, translations, antd theme and locale. */
export function AppProviders({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(createTrpcClient);
  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <LocaleProvider>
          <AntdConfig>{children}</AntdConfig>
        </LocaleProvider>
      </QueryClientProvider>
    </trpc.Provider>
  );
}
