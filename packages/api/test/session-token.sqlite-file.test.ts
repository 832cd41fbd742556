// SQLite only (decision 043): reads the database file itself, after a WAL checkpoint, to show the
// session secret never reaches the disk. session-token.test.ts checks the stored hash on both engines.
import { readFileSync } from 'node:fs';
import { sessions } from '@tessera/db';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSessionToken } from '../src/auth/session-token.ts';
import { createTestApi, signedUp, type TestApi } from './harness.ts';

describe('session tokens in the SQLite file', () => {
  let api: TestApi;
  afterEach(() => api?.destroy());

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
});
