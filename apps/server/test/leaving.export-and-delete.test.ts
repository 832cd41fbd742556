// Leaving (issue 14, decision 025), over real HTTP: the export holds the caller's data and nothing
// of anyone else's; deleting the account removes sessions, keys and conversations, keeps the ledger
// and audit anonymised (credit invariants still hold), refuses the platform's last owner, frees the
// email for a new sign-up, and cuts a live answer in the SPA at its next chunk. Through the run's
// storage, so on both engines (an operator's `user:delete` cutting a /v1 answer: the CLI opens the
// SQLite file, leaving.cli-delete.test.ts).

import type { AppRouter } from '@tessera/api';
import { adjustCreditsThrough, deletedEmail } from '@tessera/api';
import { TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CookieFetch,
  chatStream,
  STRONG_PASSWORD,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';

let server: TestServer | undefined;

/** Rows of a query in the SQL both engines share, bigint timestamps as numbers. */
async function rows(s: TestServer, query: string, ...params: unknown[]) {
  const found = await s.storage.sql<Record<string, unknown>>(query, params);
  return found.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k,
        k.endsWith('_at') && typeof v === 'string' ? Number(v) : v,
      ]),
    ),
  );
}

const createApiKey = (s: TestServer, userId: string, name: string) =>
  s.storage.stores.members.createApiKey({ userId, name, actorUserId: null, now: new Date() });
const creditsHold = async (s: TestServer) => (await s.storage.stores.money.checkInvariants()).ok;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function member(s: TestServer, email: string, credits = 5_000_000) {
  const browser = new CookieFetch(s.url);
  const client = trpcClient(s.url, browser);
  const viewer = await client.auth.signUp.mutate({ email, password: STRONG_PASSWORD });
  await adjustCreditsThrough((move) => s.storage.stores.money.moveCredits(move), {
    userId: viewer.user.id,
    mode: 'set',
    amount: credits,
    reason: 'test funds',
    actorUserId: null,
    now: new Date(),
  });
  const cookie = () => [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return { userId: viewer.user.id, email, browser, client, cookie };
}

/** One whole answer in the SPA's subscription; returns its conversation id. */
async function chat(s: TestServer, cookie: string, content: string): Promise<void> {
  const done = new AbortController();
  const input = {
    requestId: `r-${Math.random().toString(36).slice(2)}`,
    model: 'tessera-mini',
    content,
  };
  for await (const event of chatStream(s, cookie, input, done.signal)) {
    if (event.data.type === 'done') break;
  }
  done.abort();
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return (error as TRPCClientError<AppRouter>).data as unknown as {
    domainCode?: string;
    fieldErrors?: Record<string, string[]>;
  };
}

describe('export', () => {
  it("holds the caller's account, memberships, ledger, conversations and key names — nothing of anyone else's", async () => {
    server = await startTestServer({ seedDemo: true, demoTokensPerSecond: 2000 });
    const s = server;
    await member(s, 'owner@example.com'); // the first account: the platform owner
    const alice = await member(s, 'alice@example.com');
    const bob = await member(s, 'bob@example.com');
    await chat(s, alice.cookie(), 'alice asks about tesserae');
    await chat(s, bob.cookie(), 'bob asks about BOBS-SECRET-TOPIC');
    const aliceKey = await createApiKey(s, alice.userId, 'alice laptop');
    await createApiKey(s, bob.userId, 'bob server');

    const data = await alice.client.privacy.export.query();
    expect(data.account).toMatchObject({ id: alice.userId, email: 'alice@example.com' });
    expect(data.memberships.map((m) => m.markKey)).toContain('free');
    expect(data.ledger.length).toBeGreaterThanOrEqual(2); // the test funds and the chat's charge
    expect(data.ledger.some((row) => row.kind === 'charge')).toBe(true);
    expect(data.conversations).toHaveLength(1);
    const contents = data.conversations[0]!.messages.map((m) => m.content);
    expect(contents[0]).toBe('alice asks about tesserae');
    expect(contents).toHaveLength(2); // the prompt and the answer
    expect(data.apiKeys).toEqual([
      expect.objectContaining({ id: aliceKey.id, name: 'alice laptop', revokedAt: null }),
    ]);

    const text = JSON.stringify(data);
    for (const foreign of ['bob@example.com', 'BOBS-SECRET-TOPIC', 'bob server', bob.userId])
      expect(text).not.toContain(foreign);
    // No secret of any kind: the key itself, its hash, the password hash, a session secret.
    expect(text).not.toContain(aliceKey.key.split('_').at(-1)!);
    expect(text).not.toMatch(/secretHash|passwordHash|argon2/);
    expect(text).not.toContain(alice.browser.jar.values().next().value!.split('.').at(-1)!);
  });

  it('needs a session', async () => {
    server = await startTestServer({ seedDemo: true });
    const anonymous = trpcClient(server.url, new CookieFetch(server.url));
    expect((await refusal(anonymous.privacy.export.query())).domainCode).toBe('UNAUTHENTICATED');
  });
});

describe('delete account', () => {
  it('removes sessions, keys and conversations; keeps the ledger and audit anonymised; frees the email', async () => {
    server = await startTestServer({ seedDemo: true, demoTokensPerSecond: 2000 });
    const s = server;
    const owner = await member(s, 'owner@example.com');
    const alice = await member(s, 'alice@example.com');
    await chat(s, alice.cookie(), 'hello');
    const key = await createApiKey(s, alice.userId, 'k');
    // Alice also signs in through an issuer and has an authenticator: both must go with her.
    await s.storage.sql(
      "insert into user_identities (provider, subject, user_id, email, created_at) values ('oidc', 'alice-sub', $1, $2, $3)",
      [alice.userId, alice.email, Date.now()],
    );
    const { secret } = await alice.client.twoFactor.startEnrolment.mutate();
    expect(secret).toBeTruthy();
    // A second tab, signed in separately: it must end too.
    const otherTab = trpcClient(s.url, new CookieFetch(s.url));
    await otherTab.auth.signIn.mutate({ email: alice.email, password: STRONG_PASSWORD });
    const ledger = () => rows(s, 'select * from credit_ledger where user_id = $1', alice.userId);
    const ledgerBefore = await ledger();
    const byUser = (table: string) =>
      rows(s, `select * from ${table} where user_id = $1`, alice.userId);

    // Wrong confirmation: a field error each, nothing written.
    const wrongEmail = await refusal(
      alice.client.privacy.deleteAccount.mutate({
        email: 'someone@example.com',
        password: STRONG_PASSWORD,
      }),
    );
    expect(wrongEmail.fieldErrors?.email).toEqual(['EMAIL_MISMATCH']);
    const wrongPassword = await refusal(
      alice.client.privacy.deleteAccount.mutate({
        email: alice.email,
        password: 'not-my-password-1',
      }),
    );
    expect(wrongPassword.fieldErrors?.password).toEqual(['WRONG_PASSWORD']);
    expect(await byUser('sessions')).toHaveLength(2);

    await alice.client.privacy.deleteAccount.mutate({
      email: ' Alice@Example.com ',
      password: STRONG_PASSWORD,
    });

    expect(await byUser('sessions')).toEqual([]);
    expect(await byUser('api_keys')).toEqual([]);
    expect(await byUser('user_identities')).toEqual([]);
    expect(await byUser('user_totp')).toEqual([]);
    expect(await byUser('email_verification_tokens')).toEqual([]);
    expect(await byUser('conversations')).toEqual([]);
    expect(await rows(s, "select * from messages where content = 'hello'")).toEqual([]);
    // Both tabs are signed out, the key is dead.
    expect((await refusal(alice.client.auth.sessions.query())).domainCode).toBe('UNAUTHENTICATED');
    expect((await refusal(otherTab.auth.sessions.query())).domainCode).toBe('UNAUTHENTICATED');
    const models = await fetch(`${s.url}/v1/models`, {
      headers: { authorization: `Bearer ${key.key}` },
    });
    expect(models.status).toBe(401);

    // The books stay: same ledger rows, the user row anonymised.
    expect(await ledger()).toEqual(ledgerBefore);
    const [row] = await rows(s, 'select * from users where id = $1', alice.userId);
    expect(row).toMatchObject({
      email: deletedEmail(alice.userId),
      display_name: null,
      locale: null,
    });
    expect(row?.deleted_at).toEqual(expect.any(Number));
    expect(row?.disabled_at).toEqual(expect.any(Number));
    const audit = await rows(s, 'select * from audit_events where subject_id = $1', alice.userId);
    expect(audit.map((a) => a.action)).toContain('user.deleted');
    expect(JSON.stringify(audit)).not.toContain('alice@example.com');
    expect(await creditsHold(s)).toBe(true);
    // An admin cannot bring it back.
    const enable = await refusal(owner.client.admin.users.enable.mutate({ userId: alice.userId }));
    expect(enable.domainCode).toBe('CONFLICT');

    // The old password does not sign in to anything, and the address is free again.
    const signIn = await refusal(
      trpcClient(s.url, new CookieFetch(s.url)).auth.signIn.mutate({
        email: alice.email,
        password: STRONG_PASSWORD,
      }),
    );
    expect(signIn.domainCode).toBe('INVALID_CREDENTIALS');
    const again = await trpcClient(s.url, new CookieFetch(s.url)).auth.signUp.mutate({
      email: alice.email,
      password: STRONG_PASSWORD,
    });
    expect(again.user.id).not.toBe(alice.userId);
  });

  it("refuses the platform's last owner with a clear error", async () => {
    server = await startTestServer({ seedDemo: true });
    const owner = await member(server, 'owner@example.com');
    const refused = await refusal(
      owner.client.privacy.deleteAccount.mutate({ email: owner.email, password: STRONG_PASSWORD }),
    );
    expect(refused.domainCode).toBe('LAST_OWNER');
    const [row] = await rows(server, 'select deleted_at from users where id = $1', owner.userId);
    expect(row?.deleted_at).toBeNull();
  });

  it('cuts a live SPA answer at its next chunk', async () => {
    server = await startTestServer({ seedDemo: true, demoTokensPerSecond: 40 });
    const s = server;
    await member(s, 'owner@example.com');
    const alice = await member(s, 'alice@example.com');
    const input = {
      requestId: 'leave-spa',
      model: 'tessera-mini',
      content: 'Tell me a long story about mosaics.',
    };
    const done = new AbortController();
    let deltas = 0;
    let afterChange = 0;
    let changed = false;
    let change: Promise<unknown> | undefined;
    let cutOff: { code: string } | undefined;
    for await (const event of chatStream(s, alice.cookie(), input, done.signal)) {
      if (event.data.type === 'delta') {
        deltas++;
        if (changed) afterChange++;
        if (deltas === 2 && !change)
          change = alice.client.privacy.deleteAccount
            .mutate({ email: alice.email, password: STRONG_PASSWORD })
            .then(() => {
              changed = true;
            });
      }
      if (event.data.type === 'cut_off') {
        cutOff = event.data.reason;
        break;
      }
      expect(event.data.type).not.toBe('done');
    }
    done.abort();
    await change;
    expect(cutOff?.code).toBe('ACCOUNT_DISABLED');
    expect(afterChange).toBeLessThanOrEqual(1);
    expect(await creditsHold(s)).toBe(true);
  });
});
