import { App, Button, Card, Flex, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { CreditsInput } from '../../components/forms/CreditsInput.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import type { PlainMessageKey } from '../../i18n/translate.ts';
import { useLocale } from '../../i18n/useT.ts';
import { describeError } from '../../lib/errorMessages.ts';
import { toAppError } from '../../lib/errors.ts';
import { trpc } from '../../lib/trpc.ts';
import { RecentNotifications } from './RecentNotifications.tsx';

type Kind = 'creditsLow' | 'membershipEnding' | 'trialEnding' | 'paymentFailed';
const KINDS: { kind: Kind; label: PlainMessageKey; help: PlainMessageKey }[] = [
  { kind: 'creditsLow', label: 'notify.creditsLow', help: 'notify.creditsLowHelp' },
  {
    kind: 'membershipEnding',
    label: 'notify.membershipEnding',
    help: 'notify.membershipEndingHelp',
  },
  { kind: 'trialEnding', label: 'notify.trialEnding', help: 'notify.trialEndingHelp' },
  { kind: 'paymentFailed', label: 'notify.paymentFailed', help: 'notify.paymentFailedHelp' },
];

/**
 * Which mails the user wants (decision 025). A switch saves as it is flipped; the credits-low
 * threshold is saved with its own button, so a half-typed number is never stored.
 */
export function NotificationsCard() {
  const { t, lookup } = useLocale();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const settings = trpc.notifications.settings.useQuery();
  const [threshold, setThreshold] = useState<number | null>(null);
  useEffect(() => {
    if (settings.data) setThreshold(settings.data.creditsLowThreshold);
  }, [settings.data]);
  const update = trpc.notifications.update.useMutation({
    onSuccess: (saved) => {
      utils.notifications.settings.setData(undefined, saved);
      void message.success(t('notify.saved'));
    },
    onError: (error) => void message.error(describeError(toAppError(error), lookup)),
  });

  return (
    <Card variant="borderless" title={t('notify.title')} data-testid="notifications-card">
      <Typography.Paragraph type="secondary" className="card-lead">
        {t('notify.lead')}
      </Typography.Paragraph>
      {settings.error ? <QueryError error={settings.error} /> : null}
      <Flex vertical gap={12}>
        {KINDS.map(({ kind, label, help }) => (
          <Flex key={kind} gap={12} align="flex-start">
            <Switch
              checked={settings.data?.[kind] ?? true}
              loading={settings.isLoading || (update.isPending && kind in update.variables!)}
              onChange={(checked) => update.mutate({ [kind]: checked })}
              data-testid={`notify-${kind}`}
              aria-label={t(label)}
            />
            <div>
              <Typography.Text strong>{t(label)}</Typography.Text>
              <br />
              <Typography.Text type="secondary">{t(help)}</Typography.Text>
              {kind === 'creditsLow' ? (
                <Flex gap={8} className="notify-threshold" wrap>
                  <CreditsInput
                    min={0}
                    value={threshold}
                    onChange={setThreshold}
                    aria-label={t('notify.threshold')}
                    data-testid="notify-threshold"
                    style={{ maxWidth: 240 }}
                  />
                  <Button
                    onClick={() =>
                      threshold !== null && update.mutate({ creditsLowThreshold: threshold })
                    }
                    disabled={
                      threshold === null || threshold === settings.data?.creditsLowThreshold
                    }
                    data-testid="notify-threshold-save"
                  >
                    {t('notify.saveThreshold')}
                  </Button>
                </Flex>
              ) : null}
            </div>
          </Flex>
        ))}
        <RecentNotifications />
      </Flex>
    </Card>
  );
}
