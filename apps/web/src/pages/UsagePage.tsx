import { DashboardOutlined } from '@ant-design/icons';
import { EmptyStatePage } from '../components/EmptyStatePage.tsx';
import { useT } from '../i18n/useT.ts';

export function UsagePage() {
  const t = useT();
  return (
    <EmptyStatePage
      testId="usage-page"
      title={t('usage.title')}
      headline={t('usage.empty')}
      detail={t('usage.emptyDetail')}
      icon={<DashboardOutlined />}
    />
  );
}
