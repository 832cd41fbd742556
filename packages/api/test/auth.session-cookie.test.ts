import { describe, expect, it } from 'vitest';
import { readCookie } from '../src/auth/session-cookie.ts';

const TOKEN = 'abcdefghijklmnopqrstuvwx.abcdefghijklmnopqrstuvwxyz234567';

describe('reading the session cookie from a Cookie header', () => {
  it('finds the cookie by its exact name among the others, whitespace trimmed', () => {
    const header = `tessera_session_old=stale; theme=dark;  tessera_session = ${TOKEN} ;_ga=GA1.2.3`;
    expect(readCookie(header, 'tessera_session')).toBe(TOKEN);
    expect(readCookie(header, 'tessera_session_old')).toBe('stale');
    expect(readCookie(header, '_ga')).toBe('GA1.2.3');
    expect(readCookie(header, 'session')).toBeUndefined();
    expect(readCookie(header, '__Host-tessera_session')).toBeUndefined();
    expect(readCookie(undefined, 'tessera_session')).toBeUndefined();
    expect(readCookie('', 'tessera_session')).toBeUndefined();
  });

  it('takes the first of two cookies with the same name, as browsers send the most specific first', () => {
    expect(readCookie('a=1; a=2', 'a')).toBe('1');
  });

  it('decodes %-escapes, and skips a malformed one instead of throwing', () => {
    expect(readCookie('a=x%3By', 'a')).toBe('x;y');
    expect(readCookie('a=%E0%A4%A; b=ok', 'a')).toBeUndefined();
    expect(readCookie('a=%E0%A4%A; a=later', 'a')).toBe('later');
    expect(readCookie('a=%E0%A4%A; b=ok', 'b')).toBe('ok');
  });

  it('ignores parts without a name or without a value separator', () => {
    expect(readCookie('=orphan; flag; a=1', 'a')).toBe('1');
    expect(readCookie('flag; a=1', 'flag')).toBeUndefined();
    expect(readCookie('a', 'a')).toBeUndefined();
    expect(readCookie('a=', 'a')).toBe('');
    expect(readCookie('a=b=c', 'a')).toBe('b=c');
  });

  it('reads the same cookie whatever surrounds it', () => {
    for (const header of [
      `tessera_session=${TOKEN}`,
      `tessera_session=${TOKEN};`,
      `x=1; tessera_session=${TOKEN}; tessera_session=other`,
      `a=%E0%A4%A; tessera_session=${TOKEN}; b=%20; =no-name; c; d=1=2;`,
      ` ;; tessera_session =  ${TOKEN}  ;c=%41`,
    ]) {
      expect(readCookie(header, 'tessera_session'), header).toBe(TOKEN);
    }
    expect(readCookie(' a = 1 ;b=;;c=%41', 'c')).toBe('A');
    expect(readCookie(' a = 1 ;b=;;c=%41', 'b')).toBe('');
  });
});
