import { Button, Result, Spin, Typography } from 'antd';
import { useT } from '../i18n/useT.ts';
import { LogoMark } from './Logo.tsx';

/** Shown while `auth.me` is loading, before we know which screen to show. */
export function FullPageLoading() {
  const t = useT();
  return (
    <div className="full-page-status" data-testid="app-loading">
      <LogoMark size={40} />
      <Spin size="large" />
      <Typography.Text type="secondary">{t('app.loading')}</Typography.Text>
    </div>
  );
}

export function FullPageError({ onRetry }: { onRetry: () => void }) {
  const t = useT();
  return (
    <div className="full-page-status">
      <Result
        status="warning"
        title={t('app.loadFailed')}
        extra={
          <Button type="primary" onClick={onRetry}>
            {t('app.retry')}
          </Button>
        }
      />
    </div>
  );
}
