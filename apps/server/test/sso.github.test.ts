// Sign-in with GitHub over real HTTP against a loopback fake that speaks GitHub's wire format
// (github.com is outside this machine; decision 023): PKCE through the token exchange, the account
// created from the primary verified address of /user/emails, matched by GitHub's user id later,
// and refused when GitHub has verified no address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../testing/fake-github.ts';
import { CookieFetch, startTestServer, type TestServer, trpcClient } from './harness.ts';
import { follow } from './sso-support.ts';

let github: FakeGitHub;
let server: TestServer;

beforeAll(async () => {
  github = await startFakeGitHub();
  server = await startTestServer({
    sso: {
      github: {
        clientId: github.clientId,
        clientSecret: github.clientSecret,
        baseUrl: github.url,
        apiUrl: github.url,
      },
    },
  });
});
afterAll(async () => {
  await server?.stop();
  await github?.close();
});

async function signInWithGitHub(browser: CookieFetch) {
  return (await follow(browser, `${server.url}/api/auth/sso/github/start`)).url;
}

// In the SQL both engines share, so this file runs on either (decision 043).
async function userRow(email: string) {
  const [row] = await server.storage.sql<{
    id: string;
    verifiedAt: number | string | null;
    name: string | null;
  }>(
    'select id, email_verified_at as "verifiedAt", display_name as name from users where email = $1',
    [email],
  );
  // PostgreSQL's bigint timestamps come back as strings.
  return row && { ...row, verifiedAt: row.verifiedAt === null ? null : Number(row.verifiedAt) };
}

describe('sign-in with GitHub', () => {
  it('is offered on the sign-in page', async () => {
    expect(await trpcClient(server.url, new CookieFetch(null)).auth.ssoProviders.query()).toEqual([
      { id: 'github', label: 'GitHub' },
    ]);
  });

  it('creates the account from the primary verified address and signs in', async () => {
    github.user = {
      id: 4242,
      login: 'octocat',
      name: null,
      emails: [
        { email: 'old@example.com', primary: false, verified: true },
        { email: 'octo@example.com', primary: true, verified: true },
      ],
    };
    const browser = new CookieFetch(null);
    expect((await signInWithGitHub(browser)).pathname).toBe('/chat');
    const me = await trpcClient(server.url, browser).auth.me.query();
    expect(me?.user.email).toBe('octo@example.com');
    expect(await userRow('octo@example.com')).toMatchObject({
      verifiedAt: expect.any(Number),
      name: 'octocat',
    });
    expect(await trpcClient(server.url, browser).auth.identities.query()).toMatchObject([
      { provider: 'github', email: 'octo@example.com' },
    ]);
  });

  it('matches a later sign-in by GitHub user id, whatever the address is now', async () => {
    const first = (await userRow('octo@example.com'))!;
    github.user = {
      ...github.user,
      emails: [{ email: 'renamed@example.com', primary: true, verified: true }],
    };
    const browser = new CookieFetch(null);
    expect((await signInWithGitHub(browser)).pathname).toBe('/chat');
    expect((await trpcClient(server.url, browser).auth.me.query())?.user.id).toBe(first.id);
    expect(await userRow('renamed@example.com')).toBeUndefined();
  });

  it('refuses when GitHub has verified no primary address', async () => {
    github.user = {
      id: 777,
      login: 'unverified',
      name: 'U',
      emails: [{ email: 'unverified@example.com', primary: true, verified: false }],
    };
    const browser = new CookieFetch(null);
    const landed = await signInWithGitHub(browser);
    expect(landed.searchParams.get('sso_error')).toBe('EMAIL_MISSING');
    expect(await trpcClient(server.url, browser).auth.me.query()).toBeNull();
    expect(await userRow('unverified@example.com')).toBeUndefined();
  });

  it('refuses a callback whose PKCE verifier is not the one the challenge was made from', async () => {
    github.user = {
      id: 99,
      login: 'pkce',
      name: null,
      emails: [{ email: 'pkce@example.com', primary: true, verified: true }],
    };
    const browser = new CookieFetch(null);
    const landed = await follow(
      browser,
      `${server.url}/api/auth/sso/github/start`,
      {},
      { beforeCallback: () => browser.jar.set('tessera_sso_verifier', 'a-different-verifier') },
    );
    expect(landed.url.searchParams.get('sso_error')).toBe('PROVIDER_ERROR');
    expect(await userRow('pkce@example.com')).toBeUndefined();
  });
});
