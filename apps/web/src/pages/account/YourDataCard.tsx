import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Typography } from 'antd';
import { useState } from 'react';
import { useLocale } from '../../i18n/useT.ts';
import { describeError } from '../../lib/errorMessages.ts';
import { toAppError } from '../../lib/errors.ts';
import { trpc } from '../../lib/trpc.ts';

/** "Download my data": the server's export of the signed-in user, saved as a JSON file. */
export function YourDataCard() {
  const { t, lookup } = useLocale();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      // Always fresh: an export is a snapshot of now, never a cached one.
      const data = await utils.privacy.export.fetch(undefined, { staleTime: 0, gcTime: 0 });
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `tessera-data-${new Date().toISOString().slice(0, 10)}.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      void message.success(t('myData.ready'));
    } catch (error) {
      void message.error(describeError(toAppError(error), lookup));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card variant="borderless" title={t('myData.title')} data-testid="your-data-card">
      <Typography.Paragraph type="secondary" className="card-lead">
        {t('myData.lead')}
      </Typography.Paragraph>
      <Button
        icon={<DownloadOutlined />}
        loading={busy}
        onClick={() => void download()}
        data-testid="export-data"
      >
        {t('myData.download')}
      </Button>
    </Card>
  );
}
