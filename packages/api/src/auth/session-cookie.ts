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

export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (cookies.has(name)) continue; // the first (most specific) wins, as browsers order them
    try {
      cookies.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // a malformed escape is an invalid cookie, not a server error
    }
  }
  return cookies;
}
