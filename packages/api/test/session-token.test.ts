import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  generateSessionToken,
  hashSecret,
  hashSecretHex,
  parseSessionToken,
  SESSION_SECRET_BYTES,
  secretMatches,
  secretMatchesHex,
} from '../src/auth/session-token.ts';
import { type EngineTestApi, openTestApi, signedUp } from './harness.ts';

describe('session tokens', () => {
  let api: EngineTestApi;
  afterEach(() => api?.destroy());

  it('carry at least 20 random bytes in the secret, and never repeat', () => {
    expect(SESSION_SECRET_BYTES).toBeGreaterThanOrEqual(20);
    const tokens = Array.from({ length: 2000 }, () => generateSessionToken().token);
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens.slice(0, 50)) {
      const parsed = parseSessionToken(token);
      expect(parsed).not.toBeNull();
      // base32: 5 bits per character → 32 characters = 160 bits = 20 bytes
      expect(parsed!.secret.length * 5).toBeGreaterThanOrEqual(SESSION_SECRET_BYTES * 8);
    }
    // Every base32 symbol shows up across many secrets: the bytes are not from a narrow source.
    const symbols = new Set(tokens.flatMap((t) => [...parseSessionToken(t)!.secret]));
    expect(symbols.size).toBe(32);
  });

  // That the secret never reaches the SQLite file itself: session-token.sqlite-file.test.ts.
  it('are stored only as a SHA-256 of the secret, next to the id', async () => {
    api = await openTestApi();
    const { browser } = await signedUp(api, 'hash@example.com');
    const token = browser.get('tessera_session')!;
    const { id, secret } = parseSessionToken(token)!;

    const rows = await api.sql<{ id: string; secret_hash: Uint8Array }>(
      'select id, secret_hash from sessions',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(id);
    expect(Buffer.from(rows[0]!.secret_hash)).toEqual(Buffer.from(hashSecret(secret)));
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('rejects malformed tokens and a right id with a wrong secret', async () => {
    api = await openTestApi();
    const { browser } = await signedUp(api, 'forge@example.com');
    const token = browser.get('tessera_session')!;
    const [id] = token.split('.');
    // The session is cached by now (sign-up answered with the viewer): forged secrets meet the
    // cache's comparison, not only the database's.
    expect((await api.caller(browser).auth.me())?.user.email).toBe('forge@example.com');
    for (const forged of [`${id}.${'a'.repeat(32)}`, `${id}`, 'x.y.z', '']) {
      browser.set('tessera_session', forged, {
        ...browser.cookies.get('tessera_session')!.options,
      });
      expect(await api.caller(browser).auth.me()).toBeNull();
    }
    browser.set('tessera_session', token, { ...browser.cookies.get('tessera_session')!.options });
    expect((await api.caller(browser).auth.me())?.user.email).toBe('forge@example.com');
  });

  it('parse only as <24 base32>.<32 base32>, and split there', () => {
    const id = 'abcdefghijklmnopqrstuvwx';
    const secret = 'yz234567abcdefghijklmnopqrstuvwx';
    expect(parseSessionToken(`${id}.${secret}`)).toEqual({ id, secret });
    const malformed = [
      `${id}${secret}`, // no dot
      `${id}.${secret}.`, // trailing dot
      `${id}x.${secret.slice(1)}`, // right length, dot in the wrong place
      `${id.slice(1)}.${secret}`, // id too short
      `${id}.${secret}a`, // secret too long
      `${id.toUpperCase()}.${secret}`, // base32 here is lower case
      `${id.slice(0, -1)}0.${secret}`, // 0, 1, 8 and 9 are not in the alphabet
      `${id}.${secret.slice(0, -1)}1`,
      `${id}.${secret.slice(0, -1)}8`,
      `${id.slice(0, -1)}9.${secret}`,
      `${id}.${secret.slice(0, -1)}=`,
      `${id}.${secret.slice(0, -1)}é`,
      '',
    ];
    for (const token of malformed) expect(parseSessionToken(token), token).toBeNull();
  });

  it('hash the secret with SHA-256 and match only the same secret', () => {
    const secret = generateSessionToken().token.split('.')[1]!;
    const expected = createHash('sha256').update(secret).digest();
    expect(Buffer.from(hashSecret(secret))).toEqual(expected);
    expect(Buffer.from(hashSecret('abc')).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(secretMatches(secret, expected)).toBe(true);
    const otherSecret = `${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
    expect(secretMatches(otherSecret, expected)).toBe(false);
    expect(secretMatches(secret, expected.subarray(0, 31))).toBe(false);

    expect(hashSecretHex(secret)).toBe(expected.toString('hex'));
    expect(secretMatchesHex(secret, expected.toString('hex'))).toBe(true);
    expect(secretMatchesHex(otherSecret, expected.toString('hex'))).toBe(false);
    expect(secretMatchesHex(secret, expected.toString('hex').slice(0, -1))).toBe(false);
  });
});
