import { CalendarOutlined, ClockCircleOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Card, Progress, Tag, Tooltip } from 'antd';
import { useEffect } from 'react';
import type { Locale, TranslateFn } from '../../i18n/translate.ts';
import { useLocale } from '../../i18n/useT.ts';
import { formatCountdown, msUntil } from '../../lib/countdown.ts';
import { formatCredits } from '../../lib/credits.ts';
import { formatMoment } from '../../lib/format.ts';
import { formatCount } from '../../lib/money.ts';
import type { UsageSummary } from '../../lib/trpc.ts';
import {
  dailyLimitSource,
  formatQuota,
  overLimitNote,
  type Quota,
  quota,
} from '../../lib/usage.ts';
import { useNow } from '../../lib/useNow.ts';

const STATUS_COLORS: Record<Quota['status'], string> = {
  unlimited: '#22a06b',
  normal: '#5b5bd6',
  warning: '#f5a524',
  exhausted: '#e5484d',
};

/** "Resets Nov 23, 12:00 AM · in 20h 33m", ticking; calls `onPassed` once the time has come. */
export function ResetLine({ resetsAt, onPassed }: { resetsAt: string; onPassed: () => void }) {
  const { t, locale } = useLocale();
  const now = useNow(1000);
  const left = msUntil(resetsAt, now) ?? 0;
  const passed = left <= 0;
  useEffect(() => {
    if (passed) onPassed();
  }, [passed, onPassed]);
  return (
    <div className="reset-line" data-testid="reset-line">
      <ClockCircleOutlined />{' '}
      {t('usage.resets', { time: formatMoment(resetsAt, locale, { time: 'always' }) })}
      <span className="reset-line__in">
        {' · '}
        {passed ? t('usage.resetsNow') : t('usage.resetsIn', { time: formatCountdown(left, t) })}
      </span>
    </div>
  );
}

/** A quota as a bar: green when unlimited, brand colour, amber from 80 %, red when used up. */
export function QuotaBar({ value }: { value: Quota }) {
  return (
    <Progress
      percent={value.status === 'unlimited' ? 100 : value.percent}
      showInfo={false}
      strokeColor={STATUS_COLORS[value.status]}
      railColor="#eef0f6"
      className={value.status === 'unlimited' ? 'quota-bar quota-bar--unlimited' : 'quota-bar'}
      aria-label={`${value.percent}%`}
    />
  );
}

function remainingText(value: Quota, unlimitedText: string, t: TranslateFn, locale: Locale) {
  if (value.remaining === null) return unlimitedText;
  if (value.remaining === 0) return t('usage.noneLeft');
  return t('usage.left', { count: formatCount(value.remaining, locale) });
}

/** Today's requests against the daily limit (the plan's or the member's own cap). */
export function TodayCard({ summary, onReset }: { summary: UsageSummary; onReset: () => void }) {
  const { t, locale } = useLocale();
  const { day } = summary;
  const today = quota(day.requests, day.limit);
  const over = overLimitNote(today.used, today.limit, 'day', t, locale);
  const personal = dailyLimitSource(day) === 'personal';
  return (
    <Card
      variant="borderless"
      className="usage-card"
      data-testid="usage-today-card"
      title={
        <span className="card-title-icon">
          <ThunderboltOutlined /> {t('usage.today')}
        </span>
      }
      extra={personal ? <Tag color="purple">{t('usage.personalCap')}</Tag> : null}
    >
      <div className="stat-big" data-testid="usage-today">
        {formatQuota(today.used, today.limit, t, locale)}
      </div>
      {over ? (
        <div className="muted" data-testid="usage-today-over">
          {over}
        </div>
      ) : null}
      <QuotaBar value={today} />
      <div className="usage-card__lines">
        <div>
          {remainingText(today, t('usage.unlimitedHint'), t, locale)}
          {summary.requestsPerMinute !== null ? (
            <span className="muted">
              {' · '}
              {t('usage.perMinute', { count: formatCount(summary.requestsPerMinute, locale) })}
            </span>
          ) : null}
        </div>
        {personal && day.limit !== null ? (
          <div className="muted">
            {t('usage.personalCapDetail', {
              cap: formatCount(day.limit, locale),
              plan:
                day.planLimit === null ? t('limits.unlimited') : formatCount(day.planLimit, locale),
            })}
          </div>
        ) : null}
        <ResetLine resetsAt={day.resetsAt} onPassed={onReset} />
      </div>
    </Card>
  );
}

/** This month's requests against the monthly limit, and the credits spent (against a cap). */
export function MonthCard({ summary, onReset }: { summary: UsageSummary; onReset: () => void }) {
  const { t, locale } = useLocale();
  const { month, caps } = summary;
  const requests = quota(month.requests, month.limit);
  const spent = quota(month.creditsSpent, caps.monthlyCreditCap);
  return (
    <Card
      variant="borderless"
      className="usage-card"
      data-testid="usage-month-card"
      title={
        <span className="card-title-icon">
          <CalendarOutlined /> {t('usage.month')}
        </span>
      }
    >
      <div className="usage-month">
        <div>
          <div className="stat-label">{t('usage.requestsMonth')}</div>
          <Tooltip title={overLimitNote(requests.used, requests.limit, 'month', t, locale)}>
            <div className="stat-mid" data-testid="usage-month">
              {formatQuota(requests.used, requests.limit, t, locale)}
            </div>
          </Tooltip>
          <QuotaBar value={requests} />
        </div>
        <div>
          <div className="stat-label">{t('usage.creditsSpent')}</div>
          <div className="stat-mid" data-testid="usage-month-credits">
            {caps.monthlyCreditCap === null
              ? formatCredits(month.creditsSpent, locale)
              : t('usage.creditsSpentOfCap', {
                  spent: formatCredits(month.creditsSpent, locale),
                  cap: formatCredits(caps.monthlyCreditCap, locale),
                })}
          </div>
          {caps.monthlyCreditCap === null ? null : <QuotaBar value={spent} />}
        </div>
      </div>
      <div className="usage-card__lines">
        {requests.status === 'unlimited' ? (
          <div className="muted">{t('usage.unlimitedMonthHint')}</div>
        ) : null}
        <ResetLine resetsAt={month.resetsAt} onPassed={onReset} />
      </div>
    </Card>
  );
}
