import type { TranslateFn } from '../i18n/translate.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Marks ending within this window show a live countdown. */
export const ENDING_SOON_MS = 3 * DAY_MS;

export interface TimeLeft {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** Milliseconds until `iso`; negative once it has passed, null for "no end". */
export function msUntil(iso: string | null, now: number): number | null {
  if (iso === null) return null;
  const time = new Date(iso).getTime();
  return Number.isNaN(time) ? null : time - now;
}

/** True when the end is in the future but no more than `ENDING_SOON_MS` away. */
export function isEndingSoon(iso: string | null, now: number): boolean {
  const left = msUntil(iso, now);
  return left !== null && left > 0 && left <= ENDING_SOON_MS;
}

export function splitDuration(ms: number): TimeLeft {
  const total = Math.max(0, Math.floor(ms / 1000));
  return {
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  };
}

/** "2d 4h 5m", "4h 5m", "5m 9s"; "ended" once nothing is left. */
export function formatCountdown(ms: number, t: TranslateFn): string {
  if (ms <= 0) return t('countdown.ended');
  const { days, hours, minutes, seconds } = splitDuration(ms);
  if (days > 0) return t('countdown.days', { days, hours, minutes });
  if (hours > 0) return t('countdown.hours', { hours, minutes });
  return t('countdown.minutes', { minutes, seconds });
}
