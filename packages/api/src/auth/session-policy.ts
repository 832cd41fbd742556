// How long a session lives. A session ends at whichever comes first: `ABSOLUTE_LIFETIME` after
// sign-in, or `INACTIVITY_TIMEOUT` after it was last seen. "Last seen" is written at most once per
// `TOUCH_INTERVAL`, so an active user costs one write an hour, not one per request.
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

export const SESSION_ABSOLUTE_LIFETIME_MS = 30 * DAY;
export const SESSION_INACTIVITY_TIMEOUT_MS = 7 * DAY;
export const SESSION_TOUCH_INTERVAL_MS = HOUR;

export function sessionCookieName(secure: boolean): string {
  // `__Host-` binds the cookie to this exact origin (Secure, Path=/, no Domain) in browsers.
  return secure ? '__Host-tessera_session' : 'tessera_session';
}
