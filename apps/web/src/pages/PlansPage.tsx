import { CrownOutlined } from '@ant-design/icons';
import { EmptyStatePage } from '../components/EmptyStatePage.tsx';
import { useT } from '../i18n/useT.ts';

export function PlansPage() {
  const t = useT();
  return (
    <EmptyStatePage
      testId="plans-page"
      title={t('plans.title')}
      headline={t('plans.empty')}
      detail={t('plans.emptyDetail')}
      icon={<CrownOutlined />}
    />
  );
}
