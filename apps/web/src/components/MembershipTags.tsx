import { Tag } from 'antd';
import { useLocale } from '../i18n/useT.ts';

const STATUS_COLORS: Record<string, string> = {
  active: 'green',
  expired: 'default',
  revoked: 'red',
};

/** `active` / `expired` / `revoked`; an active row past its end shows as expired. */
export function MembershipStatusTag({ status, activeNow }: { status: string; activeNow: boolean }) {
  const { lookup } = useLocale();
  const shown = status === 'active' && !activeNow ? 'expired' : status;
  return (
    <Tag color={STATUS_COLORS[shown] ?? 'default'} data-testid="membership-status">
      {lookup(`membershipStatus.${shown}`) ?? shown}
    </Tag>
  );
}

const SOURCE_COLORS: Record<string, string> = {
  signup: 'default',
  stripe: 'blue',
  admin: 'purple',
  trial: 'gold',
  redeem: 'cyan',
  seat: 'geekblue',
};

/** Where a membership came from: sign-up, purchase, admin grant, trial, code, team seat. */
export function SourceTag({ source }: { source: string }) {
  const { lookup } = useLocale();
  return (
    <Tag
      color={SOURCE_COLORS[source] ?? 'default'}
      variant="filled"
      data-testid="membership-source"
    >
      {lookup(`source.${source}`) ?? source}
    </Tag>
  );
}
