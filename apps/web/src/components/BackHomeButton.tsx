import { Button } from 'antd';
import { useNavigate } from 'react-router';
import { useT } from '../i18n/useT.ts';
import { HOME_PATH } from '../paths.ts';

export function BackHomeButton() {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Button type="primary" onClick={() => navigate(HOME_PATH)}>
      {t('app.backHome')}
    </Button>
  );
}
