import { Result } from 'antd';
import { BackHomeButton } from '../components/BackHomeButton.tsx';
import { useT } from '../i18n/useT.ts';

export function NotFoundPage() {
  const t = useT();
  return (
    <div className="full-page-status">
      <Result status="404" title="404" subTitle={t('app.notFound')} extra={<BackHomeButton />} />
    </div>
  );
}
