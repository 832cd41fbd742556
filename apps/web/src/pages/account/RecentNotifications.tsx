import { List, Typography } from 'antd';
import type { PlainMessageKey } from '../../i18n/translate.ts';
import { useLocale } from '../../i18n/useT.ts';
import { formatDateTime } from '../../lib/format.ts';
import { trpc } from '../../lib/trpc.ts';

const LABEL: Record<string, PlainMessageKey> = {
  credits_low: 'notify.creditsLow',
  membership_ending: 'notify.membershipEnding',
  trial_ending: 'notify.trialEnding',
  payment_failed: 'notify.paymentFailed',
};

/** The mails sent lately, newest first, so a member can see what they were told and when. */
export function RecentNotifications() {
  const { t, locale } = useLocale();
  const recent = trpc.notifications.list.useQuery();
  if (!recent.data || recent.data.length === 0) return null;
  return (
    <div className="notify-recent" data-testid="notifications-recent">
      <Typography.Text strong>{t('notify.recent')}</Typography.Text>
      <List
        size="small"
        dataSource={recent.data}
        renderItem={(item) => (
          <List.Item data-testid={`notification-${item.kind}`}>
            <span>{LABEL[item.kind] ? t(LABEL[item.kind]!) : item.kind}</span>
            <Typography.Text type="secondary">
              {formatDateTime(String(item.createdAt), locale)}
            </Typography.Text>
          </List.Item>
        )}
      />
    </div>
  );
}
