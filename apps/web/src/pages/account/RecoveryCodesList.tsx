import { App, Button, Space, Typography } from 'antd';
import { useT } from '../../i18n/useT.ts';
import { copyText } from '../../lib/clipboard.ts';

/** Recovery codes, shown once. Test hook: `totp-recovery-codes` (one `<li>` per code). */
export function RecoveryCodesList({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  return (
    <div className="two-factor-recovery">
      <Typography.Title level={5}>{t('twoFactor.recoveryTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('twoFactor.recoveryLead')}</Typography.Paragraph>
      <ol className="two-factor-recovery__codes" data-testid="totp-recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <Typography.Text code>{code}</Typography.Text>
          </li>
        ))}
      </ol>
      <Space>
        <Button
          onClick={async () => {
            if (await copyText(codes.join('\n'))) void message.success(t('twoFactor.copied'));
          }}
        >
          {t('twoFactor.copy')}
        </Button>
        <Button type="primary" onClick={onDone} data-testid="totp-recovery-done">
          {t('twoFactor.saved')}
        </Button>
      </Space>
    </div>
  );
}
