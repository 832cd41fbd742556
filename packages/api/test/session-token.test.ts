import { readFileSync } from 'node:fs';
import { sessions } from '@tessera/db';
import { afterEach, describe, expect, it } from 'vitest';
import {
  generateSessionToken,
  parseSessionToken,
  SESSION_SECRET_BYTES,
} from '../src/auth/session-token.ts';
import { createTestApi, signedUp, type TestApi } from './harness.ts';

describe('session tokens', () => {
  let api: TestApi;
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

  it('are stored only as a SHA-256 of the secret — the token never reaches the database file', async () => {
    api = createTestApi();
    const { browser } = await signedUp(api, 'hash@example.com');
    const token = browser.get('tessera_session')!;
    const { id, secret } = parseSessionToken(token)!;

    const row = api.db.db.select().from(sessions).get()!;
    expect(row.id).toBe(id);
    expect(row.secretHash).toHaveLength(32);
    expect(Buffer.from(row.secretHash).toString('latin1')).not.toContain(secret);

    api.db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const fileBytes = readFileSync(api.db.path).toString('latin1');
    expect(fileBytes).toContain(id);
    expect(fileBytes).not.toContain(secret);
  });

  it('rejects malformed tokens and a right id with a wrong secret', async () => {
    api = createTestApi();
    const { browser } = await signedUp(api, 'forge@example.com');
    const [id] = browser.get('tessera_session')!.split('.');
    for (const forged of [`${id}.${'a'.repeat(32)}`, `${id}`, 'x.y.z', '']) {
      browser.set('tessera_session', forged, {
        ...browser.cookies.get('tessera_session')!.options,
      });
      expect(await api.caller(browser).auth.me()).toBeNull();
    }
  });
});
