// Sign-in with OpenID Connect against a real OpenID Provider (the oidc-provider package) on
// loopback, over real HTTP (issue 14, decision 023): the full flow ends in a session that works on
// tRPC; a first sign-in creates the account; a later one matches by subject; linking needs a
// verified address on both sides; state, PKCE and disabled accounts are enforced; and without
// OIDC_ISSUER nothing is fetched.
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP, generateTOTP } from '@oslojs/otp';
import { createAccount } from '@tessera/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from '../testing/oidc-issuer/index.ts';
import {
  CookieFetch,
  STRONG_PASSWORD,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';
import { signInAtIssuer } from './sso-support.ts';

let idp: TestIssuer;
let server: TestServer;

beforeAll(async () => {
  idp = await startTestIssuer();
  server = await startTestServer({
    sso: {
      oidc: {
        issuer: idp.issuer,
        clientId: 'tessera',
        clientSecret: 'issuer-secret',
        name: 'Test IdP',
      },
    },
  });
  idp.configure({
    clientId: 'tessera',
    clientSecret: 'issuer-secret',
    redirectUris: [`${server.url}/api/auth/sso/oidc/callback`],
  });
});
afterAll(async () => {
  await server?.stop();
  await idp?.close();
});

// Through the ports and the SQL both engines share, so this file runs on either (decision 043).
const stores = () => server.storage.stores;
const identitiesOf = (userId: string) =>
  server.storage.sql<{ provider: string; subject: string; email: string | null }>(
    'select provider, subject, email from user_identities where user_id = $1',
    [userId],
  );
async function userByEmail(email: string) {
  const [row] = await server.storage.sql<{
    id: string;
    emailVerifiedAt: number | string | null;
    passwordHash: string;
  }>(
    'select id, email_verified_at as "emailVerifiedAt", password_hash as "passwordHash" from users where email = $1',
    [email],
  );
  return row;
}

/** The SPA's requests after the redirects: same cookies, sent with the app's Origin (CSRF check). */
function sameOrigin(browser: CookieFetch): CookieFetch {
  const tab = new CookieFetch(server.url);
  for (const [name, value] of browser.jar) tab.jar.set(name, value);
  return tab;
}

async function viewer(browser: CookieFetch) {
  return trpcClient(server.url, browser).auth.me.query();
}

describe('sign-in with OpenID Connect', () => {
  it('lists the provider for the sign-in page, and fetched nothing from the issuer before a sign-in', async () => {
    expect(idp.discoveryRequests).toBe(0);
    const providers = await trpcClient(server.url, new CookieFetch(null)).auth.ssoProviders.query();
    expect(providers).toEqual([{ id: 'oidc', label: 'Test IdP' }]);
  });

  it('a first sign-in creates the account, verified as the issuer says, and its session works on tRPC', async () => {
    idp.accounts.set('ada-sub', { email: 'Ada@Example.com', email_verified: true, name: 'Ada L.' });
    const browser = new CookieFetch(null);
    const landed = await signInAtIssuer(browser, server.url, 'ada-sub');
    expect(landed.pathname).toBe('/chat');
    expect(landed.search).toBe('');
    // The attempt's cookies are gone, the session cookie is HttpOnly and SameSite=Lax.
    expect([...browser.jar.keys()].filter((k) => k.startsWith('tessera_sso_'))).toEqual([]);
    const sessionCookie = browser.setCookieHeaders.find((h) => h.startsWith('tessera_session='));
    expect(sessionCookie).toMatch(/HttpOnly/);
    expect(sessionCookie).toMatch(/SameSite=Lax/);
    expect(idp.discoveryRequests).toBe(1);

    const me = await viewer(browser);
    expect(me?.user.email).toBe('ada@example.com');
    expect(me?.user.displayName).toBe('Ada L.');
    const row = (await userByEmail('ada@example.com'))!;
    expect(row.emailVerifiedAt).not.toBeNull();
    // An unusable password: a real argon2 hash nobody knows the input of.
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    await expect(
      trpcClient(server.url, new CookieFetch(server.url)).auth.signIn.mutate({
        email: 'ada@example.com',
        password: STRONG_PASSWORD,
      }),
    ).rejects.toThrow();
    expect(await identitiesOf(row.id)).toMatchObject([{ provider: 'oidc', subject: 'ada-sub' }]);
    expect(await trpcClient(server.url, browser).auth.identities.query()).toEqual([
      {
        provider: 'oidc',
        subject: 'ada-sub',
        email: 'Ada@Example.com',
        createdAt: expect.any(String),
      },
    ]);
    const events = await server.storage.sql<{ action: string; data: unknown }>(
      'select action, data from audit_events where subject_id = $1',
      [row.id],
    );
    // jsonb comes back parsed from PostgreSQL, text from SQLite.
    const audit = events.map((e) => [
      e.action,
      ((typeof e.data === 'string' ? JSON.parse(e.data) : e.data) as { method?: string }).method,
    ]);
    expect(audit).toContainEqual(['session.created', 'sso:oidc']);
    expect(audit).toContainEqual(['user.identity_linked', undefined]);
  });

  it('a later sign-in finds the account by subject, even after the address changed at the issuer', async () => {
    const first = (await userByEmail('ada@example.com'))!;
    idp.accounts.set('ada-sub', { email: 'ada@elsewhere.example', email_verified: true });
    const browser = new CookieFetch(null);
    expect((await signInAtIssuer(browser, server.url, 'ada-sub')).pathname).toBe('/chat');
    expect((await viewer(browser))?.user.id).toBe(first.id);
    expect(await userByEmail('ada@elsewhere.example')).toBeUndefined();
    expect(await identitiesOf(first.id)).toHaveLength(1);
  });

  it('a first sign-in with an address the issuer has not verified creates an unverified account', async () => {
    idp.accounts.set('una-sub', { email: 'una@example.com', email_verified: false });
    const browser = new CookieFetch(null);
    expect((await signInAtIssuer(browser, server.url, 'una-sub')).pathname).toBe('/chat');
    expect((await userByEmail('una@example.com'))?.emailVerifiedAt).toBeNull();
  });

  it('links an existing account when the issuer and the account have both verified the address', async () => {
    const grace = await createAccount(stores(), {
      email: 'grace@example.com',
      password: STRONG_PASSWORD,
      emailVerified: true,
      now: new Date(),
    });
    idp.accounts.set('grace-sub', { email: 'grace@example.com', email_verified: true });
    const browser = new CookieFetch(null);
    expect((await signInAtIssuer(browser, server.url, 'grace-sub')).pathname).toBe('/chat');
    expect((await viewer(browser))?.user.id).toBe(grace.id);
    expect(await identitiesOf(grace.id)).toMatchObject([
      { provider: 'oidc', subject: 'grace-sub' },
    ]);
  });

  it('refuses to link when the issuer has not verified the address', async () => {
    const linus = await createAccount(stores(), {
      email: 'linus@example.com',
      password: STRONG_PASSWORD,
      emailVerified: true,
      now: new Date(),
    });
    idp.accounts.set('impostor-1', { email: 'linus@example.com', email_verified: false });
    const browser = new CookieFetch(null);
    const landed = await signInAtIssuer(browser, server.url, 'impostor-1');
    expect(`${landed.pathname}${landed.search}`).toBe('/sign-in?sso_error=EMAIL_NOT_VERIFIED');
    expect(await viewer(browser)).toBeNull();
    expect(await identitiesOf(linus.id)).toEqual([]);
  });

  it('refuses to link to an account whose own address was never verified', async () => {
    // Someone signed up with this address and a password of their choosing, and never proved it.
    const planted = await createAccount(stores(), {
      email: 'victim@example.com',
      password: STRONG_PASSWORD,
      now: new Date(),
    });
    idp.accounts.set('victim-sub', { email: 'victim@example.com', email_verified: true });
    const browser = new CookieFetch(null);
    const landed = await signInAtIssuer(browser, server.url, 'victim-sub');
    expect(landed.searchParams.get('sso_error')).toBe('ACCOUNT_NOT_VERIFIED');
    expect(await viewer(browser)).toBeNull();
    expect(await identitiesOf(planted.id)).toEqual([]);
  });

  it('refuses a callback whose state is not the one this browser started with', async () => {
    idp.accounts.set('sam-sub', { email: 'sam@example.com', email_verified: true });
    const browser = new CookieFetch(null);
    const landed = await signInAtIssuer(browser, server.url, 'sam-sub', {
      onRedirect: (url) => {
        if (!url.pathname.endsWith('/api/auth/sso/oidc/callback')) return undefined;
        url.searchParams.set('state', 'forged-state');
        return url;
      },
    });
    expect(landed.searchParams.get('sso_error')).toBe('STATE_MISMATCH');
    expect(await viewer(browser)).toBeNull();
    expect(await userByEmail('sam@example.com')).toBeUndefined();
  });

  it('refuses a callback without the PKCE verifier cookie', async () => {
    idp.accounts.set('pat-sub', { email: 'pat@example.com', email_verified: true });
    const browser = new CookieFetch(null);
    const landed = await signInAtIssuer(browser, server.url, 'pat-sub', {
      beforeCallback: () => browser.jar.delete('tessera_sso_verifier'),
    });
    expect(landed.searchParams.get('sso_error')).toBe('ATTEMPT_EXPIRED');
    expect(await viewer(browser)).toBeNull();
    expect(await userByEmail('pat@example.com')).toBeUndefined();
  });

  it('refuses a code obtained by another sign-in attempt (PKCE verifier and nonce differ)', async () => {
    // The browser's own attempt cookies, with a code another attempt obtained and never used: the
    // issuer's PKCE check refuses the exchange, since this browser's verifier is not that one's.
    idp.accounts.set('kim-sub', { email: 'kim@example.com', email_verified: true });
    const thief = new CookieFetch(null);
    let stolen: URL | undefined;
    await signInAtIssuer(thief, server.url, 'kim-sub', {
      onRedirect: (url) => {
        if (!url.pathname.endsWith('/callback')) return undefined;
        stolen = new URL(url);
        return new URL('/nowhere', idp.issuer); // the thief's own callback never happens
      },
    });
    const browser = new CookieFetch(null);
    const landed = await signInAtIssuer(browser, server.url, 'kim-sub', {
      onRedirect: (url) => {
        if (!url.pathname.endsWith('/callback') || !stolen) return undefined;
        url.searchParams.set('code', stolen.searchParams.get('code')!);
        return url;
      },
    });
    expect(landed.searchParams.get('sso_error')).toBe('PROVIDER_ERROR');
    expect(await viewer(browser)).toBeNull();
  });

  it('unlinking ends the match by subject: the next sign-in links again only through a verified address', async () => {
    idp.accounts.set('ulla-sub', { email: 'ulla@example.com', email_verified: true });
    const browser = new CookieFetch(server.url);
    expect((await signInAtIssuer(browser, server.url, 'ulla-sub')).pathname).toBe('/chat');
    const ulla = (await userByEmail('ulla@example.com'))!;
    const client = trpcClient(server.url, browser);
    await client.auth.unlinkIdentity.mutate({ provider: 'oidc', subject: 'ulla-sub' });
    expect(await identitiesOf(ulla.id)).toEqual([]);
    await expect(
      client.auth.unlinkIdentity.mutate({ provider: 'oidc', subject: 'ulla-sub' }),
    ).rejects.toThrow(/No such linked account/);
    // Unverified at the issuer now: no link by subject any more, and none by address.
    idp.accounts.set('ulla-sub', { email: 'ulla@example.com', email_verified: false });
    const again = await signInAtIssuer(new CookieFetch(null), server.url, 'ulla-sub');
    expect(again.searchParams.get('sso_error')).toBe('EMAIL_NOT_VERIFIED');
  });

  it('an account with two factors still owes its code: the issuer stands in for the password only', async () => {
    idp.accounts.set('grace-sub', { email: 'grace@example.com', email_verified: true });
    const first = new CookieFetch(null);
    expect((await signInAtIssuer(first, server.url, 'grace-sub')).pathname).toBe('/chat');
    const account = trpcClient(server.url, sameOrigin(first));
    const { secret } = await account.twoFactor.startEnrolment.mutate();
    const key = decodeBase32IgnorePadding(secret);
    await account.twoFactor.confirmEnrolment.mutate({ code: generateTOTP(key, 30, 6) });

    const browser = new CookieFetch(null);
    const landed = await signInAtIssuer(browser, server.url, 'grace-sub');
    // No session: the sign-in page gets a pending token, in the fragment (never sent to a server).
    expect(landed.pathname).toBe('/sign-in');
    const pendingToken = /^#second-factor=(.+)$/.exec(landed.hash)?.[1];
    expect(pendingToken).toBeTruthy();
    expect(browser.setCookieHeaders.some((h) => h.startsWith('tessera_session='))).toBe(false);
    expect(await viewer(browser)).toBeNull();

    // The next step's code (enrolment spent this one), traded with the token, starts the session.
    const step = BigInt(Math.floor(Date.now() / 30_000) + 1);
    const page = sameOrigin(browser);
    const signedIn = await trpcClient(server.url, page).auth.signInSecondFactor.mutate({
      pendingToken: decodeURIComponent(pendingToken!),
      code: generateHOTP(key, step, 6),
    });
    expect(signedIn.user.email).toBe('grace@example.com');
    expect((await viewer(page))?.user.email).toBe('grace@example.com');
  });

  it("holds to sign-up's mode: closed refuses a new account through the issuer, a linked one still signs in", async () => {
    idp.accounts.set('linked-sub', { email: 'linked@example.com', email_verified: true });
    expect((await signInAtIssuer(new CookieFetch(null), server.url, 'linked-sub')).pathname).toBe(
      '/chat',
    );
    const mode = (m: 'open' | 'closed') =>
      stores().account.setSignupMode({ mode: m, actorUserId: null, now: new Date() });
    await mode('closed');
    try {
      idp.accounts.set('newcomer-sub', { email: 'newcomer@example.com', email_verified: true });
      const refused = await signInAtIssuer(new CookieFetch(null), server.url, 'newcomer-sub');
      expect(refused.pathname).toBe('/sign-in');
      expect(refused.searchParams.get('sso_error')).toBe('SIGNUP_CLOSED');
      expect(await userByEmail('newcomer@example.com')).toBeUndefined();
      const again = await signInAtIssuer(new CookieFetch(null), server.url, 'linked-sub');
      expect(again.pathname).toBe('/chat');
    } finally {
      await mode('open');
    }
  });

  it('a disabled account cannot sign in through the issuer', async () => {
    const grace = (await userByEmail('grace@example.com'))!;
    await stores().auth.setUserDisabled({
      userId: grace.id,
      disabled: true,
      actorUserId: null,
      now: new Date(),
    });
    const browser = new CookieFetch(null);
    const landed = await signInAtIssuer(browser, server.url, 'grace-sub');
    expect(landed.searchParams.get('sso_error')).toBe('ACCOUNT_DISABLED');
    expect(await viewer(browser)).toBeNull();
  });
});

describe('what the ID token must prove', () => {
  it("refuses an ID token altered on its way (another subject under the issuer's signature)", async () => {
    const grace = (await userByEmail('grace@example.com'))!;
    idp.accounts.set('eve-sub', { email: 'eve@example.com', email_verified: true });
    idp.tamperIdToken = (token) => {
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
      claims.sub = 'grace-sub'; // claim to be someone already linked
      const forged = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${header}.${forged}.${signature}`;
    };
    try {
      const browser = new CookieFetch(null);
      const landed = await signInAtIssuer(browser, server.url, 'eve-sub');
      expect(landed.searchParams.get('sso_error')).toBe('PROVIDER_ERROR');
      expect(await viewer(browser)).toBeNull();
      expect(await identitiesOf(grace.id)).toHaveLength(1);
      expect(await userByEmail('eve@example.com')).toBeUndefined();
    } finally {
      idp.tamperIdToken = null;
    }
    // The same sign-in, untouched, goes through: the refusal was the signature's.
    const browser = new CookieFetch(null);
    expect((await signInAtIssuer(browser, server.url, 'eve-sub')).pathname).toBe('/chat');
    expect((await viewer(browser))?.user.email).toBe('eve@example.com');
  });

  it('refuses an issuer whose discovery document names another issuer', async () => {
    // Same server, reached by another name: the document says 127.0.0.1, we were told localhost.
    const aliased = idp.issuer.replace('127.0.0.1', 'localhost');
    const other = await startTestServer({
      sso: { oidc: { issuer: aliased, clientId: 'tessera', clientSecret: 'issuer-secret' } },
    });
    try {
      const reply = await fetch(`${other.url}/api/auth/sso/oidc/start`, { redirect: 'manual' });
      expect(reply.status).toBe(302);
      expect(reply.headers.get('location')).toBe('/sign-in?sso_error=PROVIDER_ERROR');
      expect(reply.headers.getSetCookie()).toEqual([]);
    } finally {
      await other.stop();
    }
  });
});

describe('without OIDC_ISSUER', () => {
  it('offers no provider, answers 404 on its routes and fetches nothing', async () => {
    const plain = await startTestServer();
    try {
      const before = idp.discoveryRequests;
      expect(await trpcClient(plain.url, new CookieFetch(null)).auth.ssoProviders.query()).toEqual(
        [],
      );
      for (const path of [
        '/api/auth/sso/oidc/start',
        '/api/auth/sso/github/callback?code=x&state=y',
      ]) {
        const response = await fetch(`${plain.url}${path}`, { redirect: 'manual' });
        expect(response.status, path).toBe(404);
      }
      expect(idp.discoveryRequests).toBe(before);
    } finally {
      await plain.stop();
    }
  });
});
