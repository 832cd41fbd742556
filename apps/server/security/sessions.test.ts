// Sessions against OWASP ASVS 5.0 (V7): secret entropy, only a hash at rest, a new token at every
// sign-in, an absolute lifetime, and revocation when a password changes or a user is disabled.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../src/app.ts';
import { fakeWebDist, STRONG_PASSWORD, type TestServer } from '../test/harness.ts';
import { openTestStorage, type TestStorage } from '../test/test-storage.ts';
import { call } from './http.ts';
import { procedures } from './procedures.ts';
import { signUp } from './world.ts';

const DAY = 24 * 60 * 60 * 1000;
const BASE32 = /^[a-z2-7]+$/;

/** Procedures that must end sessions by design; their case needs `endsSessions`. */
const MUST_END_SESSIONS = [
  'auth.changePassword',
  'admin.users.disable',
  'auth.resetPassword',
  'privacy.deleteAccount',
];

let server: TestServer;
let app: RunningApp;
let storage: TestStorage;
const clock = { now: Date.now() };

beforeAll(async () => {
  storage = await openTestStorage();
  app = await startApp(
    { host: '127.0.0.1', port: 0, ...storage.config, webDistDir: fakeWebDist(), seedDemo: true },
    { now: () => new Date(clock.now) },
  );
  server = { ...app, databasePath: storage.config.databasePath, storage, stop: () => app.close() };
  await signUp(server, 'root@example.com'); // the first account: the platform admin
});
afterAll(async () => {
  await app.close();
  await storage.close();
});

async function signIn(email: string, cookie?: string) {
  const response = await fetch(`${server.url}/trpc/auth.signIn`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: server.url,
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify({ email, password: STRONG_PASSWORD }),
  });
  expect(response.status).toBe(200);
  return response.headers.getSetCookie()[0]!.split(';')[0]!;
}

const secretOf = (cookie: string) => cookie.split('=')[1]!.split('.')[1]!;
const idOf = (cookie: string) => cookie.split('=')[1]!.split('.')[0]!;

async function signedIn(cookie: string): Promise<boolean> {
  const reply = await call(server, { cookie }, 'auth.me', 'query');
  expect(reply.status).toBe(200);
  return reply.body.result.data !== null;
}

describe('session tokens', () => {
  it('carry at least 128 random bits in the secret, and look random', async () => {
    const { email, cookie } = await signUp(server, 'entropy@example.com');
    const secrets = [secretOf(cookie)];
    for (let i = 0; i < 15; i++) secrets.push(secretOf(await signIn(email)));
    for (const secret of secrets) {
      expect(secret).toMatch(BASE32);
      expect(secret.length * 5, 'bits in a base32 secret').toBeGreaterThanOrEqual(128);
    }
    expect(new Set(secrets).size).toBe(secrets.length);
    // Each base32 character carries 5 bits; over 16 secrets about half of all bits are set.
    const bits = secrets
      .join('')
      .split('')
      .map((c) => 'abcdefghijklmnopqrstuvwxyz234567'.indexOf(c));
    const ones = bits.reduce((n, v) => n + (v.toString(2).split('1').length - 1), 0);
    expect(ones / (bits.length * 5)).toBeGreaterThan(0.4);
    expect(ones / (bits.length * 5)).toBeLessThan(0.6);
  });

  it('are stored only as a SHA-256 of the secret', async () => {
    const { cookie } = await signUp(server, 'at-rest@example.com');
    const secret = secretOf(cookie);
    const row = server.database.sqlite
      .prepare('select * from sessions where id = ?')
      .get(idOf(cookie)) as Record<string, unknown>;
    expect(row.secret_hash).toEqual(createHash('sha256').update(secret).digest());
    // Nowhere in the database, in any column of any table, is the secret itself.
    const tables = server.database.sqlite
      .prepare("select name from sqlite_master where type = 'table'")
      .all() as { name: string }[];
    for (const { name } of tables) {
      const text = JSON.stringify(server.database.sqlite.prepare(`select * from "${name}"`).all());
      expect(text, name).not.toContain(secret);
    }
  });

  it('are new at every sign-in, and a token planted before sign-in is not kept', async () => {
    const { email, cookie: planted } = await signUp(server, 'fixation@example.com');
    const first = await signIn(email);
    const second = await signIn(email, planted); // signing in with a session already present
    expect(new Set([planted, first, second]).size).toBe(3);
    expect(await signedIn(second)).toBe(true);
    expect(await signedIn(planted), 'the session that came with the sign-in ends').toBe(false);
  });

  it('end 30 days after sign-in however active, and after 7 idle days', async () => {
    const { email, cookie } = await signUp(server, 'lifetime@example.com');
    // The clock only moves forward (sign-in throttle buckets would read a rewind as debt).
    const start = clock.now;
    for (let day = 6; day < 30; day += 6) {
      clock.now = start + day * DAY;
      expect(await signedIn(cookie), `day ${day}`).toBe(true);
    }
    clock.now = start + 30 * DAY;
    expect(await signedIn(cookie), 'day 30: absolute lifetime reached').toBe(false);
    const idle = await signIn(email);
    clock.now += 7 * DAY;
    expect(await signedIn(idle), '7 idle days').toBe(false);
  });
});

describe('sessions end when a password changes or a user is disabled', () => {
  it('the procedures that must end sessions have an `endsSessions` case', () => {
    const missing = procedures
      .filter((p) => MUST_END_SESSIONS.includes(p.path) && !p.case.endsSessions)
      .map((p) => p.path);
    expect(missing, 'add `endsSessions` to these cases in security/cases.ts').toEqual([]);
  });

  const ending = procedures.filter((p) => p.case.endsSessions);
  it.each(ending.map((p) => [p.path, p] as const))(
    '%s ends the sessions it must',
    async (path, procedure) => {
      const spec = procedure.case.endsSessions!;
      const email = `${path.replaceAll('.', '-').toLowerCase()}@example.com`;
      const target = await signUp(server, email);
      const other = await signIn(email);
      const admin = await signIn('root@example.com');
      const as =
        spec.as === 'self'
          ? { cookie: target.cookie }
          : spec.as === 'admin'
            ? { cookie: admin }
            : null;
      const input = spec.input({
        userId: target.userId,
        email,
        password: STRONG_PASSWORD,
        db: server.database.db,
        now: new Date(clock.now),
      });
      const reply = await call(server, as, path, procedure.type, input);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(await signedIn(other), 'another session of the user').toBe(false);
      if (spec.as !== 'self') expect(await signedIn(target.cookie), 'every session').toBe(false);
      const left = server.database.sqlite
        .prepare('select id from sessions where user_id = ?')
        .all(target.userId) as { id: string }[];
      expect(left.map((r) => r.id)).not.toContain(idOf(other));
    },
  );
});
