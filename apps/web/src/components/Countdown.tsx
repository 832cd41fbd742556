import { ClockCircleOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import { useEffect } from 'react';
import { useT } from '../i18n/useT.ts';
import { formatCountdown, msUntil } from '../lib/countdown.ts';
import { useNow } from '../lib/useNow.ts';

/** "Ends in 2d 4h 5m", ticking every second; calls `onEnd` once the time is up. */
export function Countdown({ expiresAt, onEnd }: { expiresAt: string; onEnd?: () => void }) {
  const t = useT();
  const now = useNow(1000);
  const left = msUntil(expiresAt, now) ?? 0;
  const ended = left <= 0;
  useEffect(() => {
    if (ended) onEnd?.();
  }, [ended, onEnd]);
  return (
    <Tag
      color={ended ? 'default' : 'orange'}
      icon={<ClockCircleOutlined />}
      className="countdown"
      data-testid="countdown"
    >
      {ended ? t('countdown.ended') : t('countdown.endsIn', { time: formatCountdown(left, t) })}
    </Tag>
  );
}
