import { sessionCookieName } from './session-policy.ts';

export interface CookieOptions {
  httpOnly: boolean;
  sameSite: 'lax' | 'strict';
  secure: boolean;
  path: string;
  expires: Date;
}

/** What the HTTP layer (or a test) gives the API to read and write cookies. */
export interface CookieJar {
  get(name: string): string | undefined;
  set(name: string, value: string, options: CookieOptions): void;
}

export function readSessionToken(cookies: CookieJar, secure: boolean): string | undefined {
  return cookies.get(sessionCookieName(secure));
}

export function writeSessionCookie(
  cookies: CookieJar,
  secure: boolean,
  token: string,
  expiresAt: Date,
): void {
  cookies.set(sessionCookieName(secure), token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(cookies: CookieJar, secure: boolean): void {
  cookies.set(sessionCookieName(secure), '', {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    expires: new Date(0),
  });
}

export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${options.path}`];
  parts.push(`Expires=${options.expires.toUTCString()}`);
  if (options.expires.getTime() <= 0) parts.push('Max-Age=0');
  if (options.httpOnly) parts.push('HttpOnly');
  parts.push(`SameSite=${options.sameSite === 'strict' ? 'Strict' : 'Lax'}`);
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/**
 * One cookie's value from a `Cookie` header, or undefined. Parts are `name=value` separated by `;`,
 * names and values trimmed; the first cookie of that name with a well-formed value wins (browsers
 * send the most specific first). The header is scanned, not split into a map: a request reads at
 * most the one session cookie.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  let start = 0;
  while (start < header.length) {
    let end = header.indexOf(';', start);
    if (end === -1) end = header.length;
    const eq = header.indexOf('=', start);
    if (eq > start && eq < end && header.slice(start, eq).trim() === name) {
      const value = decodeCookieValue(header.slice(eq + 1, end).trim());
      // A later cookie of the same name counts only when this one's value is malformed.
      if (value !== undefined) return value;
    }
    start = end + 1;
  }
  return undefined;
}

/** A cookie value with its %-escapes decoded; undefined for a malformed escape (never throws). */
function decodeCookieValue(raw: string): string | undefined {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined; // a malformed escape is an invalid cookie, not a server error
  }
}
