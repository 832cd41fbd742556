// The route table's cases: one per entry of apps/server/src/http/routes.ts, keyed the same way
// ("POST /v1/chat/completions"). Procedures have their own table (cases.ts); the tRPC routes here
// cover what is about the transport: unknown procedures, methods, bodies, origins.
import { revokeApiKey } from '@tessera/api';
import Stripe from 'stripe';
import { expect } from 'vitest';
import type { RouteKey } from '../src/http/routes.ts';
import { dumpDatabase, STRIPE_WEBHOOK_SECRET, V1_CLIENT_ORIGIN, type World } from './world.ts';

type RouteCase = (w: World) => Promise<void>;

/** fetch against the world's server, returning status, headers and the body as text. */
async function send(w: World, path: string, init: RequestInit = {}) {
  const response = await fetch(`${w.server.url}${path}`, init);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const json = (text: string) =>
  JSON.parse(text) as { error: Record<string, never> & { data: Record<string, unknown> } };

/** Expects `run` to leave every table as it was. */
async function unchanged(w: World, run: () => Promise<void>) {
  const before = dumpDatabase(w.server);
  await run();
  expect(dumpDatabase(w.server)).toEqual(before);
}

const completion = { model: 'tessera-mini', messages: [{ role: 'user', content: 'Hi' }] };
const bearer = (key: string) => ({
  authorization: `Bearer ${key}`,
  'content-type': 'application/json',
});

/**
 * A /v1 preflight: never authenticated, never a cookie, nothing written. An allowed origin gets
 * the allow headers but never credentials; any other origin gets none, whatever it sends along.
 */
const v1Preflight =
  (path: string, method: string): RouteCase =>
  async (w) => {
    await unchanged(w, async () => {
      const preflight = (origin: string, extra: Record<string, string> = {}) =>
        send(w, path, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': method, ...extra },
        });
      const allowed = await preflight(V1_CLIENT_ORIGIN, { cookie: w.alice.cookie });
      expect(allowed.status).toBe(204);
      expect(allowed.text).toBe('');
      expect(allowed.headers.get('access-control-allow-origin')).toBe(V1_CLIENT_ORIGIN);
      expect(allowed.headers.get('access-control-allow-methods')).toContain(method);
      expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
      expect(allowed.headers.get('set-cookie')).toBeNull();
      // A header list that is not one is not echoed back.
      const odd = await preflight(V1_CLIENT_ORIGIN, {
        'access-control-request-headers': 'authorization, x-evil: 1',
      });
      expect(odd.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
      for (const origin of ['https://evil.example', 'null', `${V1_CLIENT_ORIGIN}.evil.example`]) {
        const other = await preflight(origin, {
          cookie: w.alice.cookie,
          authorization: `Bearer ${w.alice.apiKey}`,
        });
        expect(other.headers.get('access-control-allow-origin'), origin).toBeNull();
        expect(other.headers.get('access-control-allow-methods'), origin).toBeNull();
      }
    });
    // The real request from another origin is answered (an API key is no ambient credential) but
    // without the header that would let a page read it.
    const cross = await send(w, path, {
      method,
      headers: { ...bearer(w.alice.apiKey), origin: 'https://evil.example' },
      ...(method === 'POST' ? { body: JSON.stringify(completion) } : {}),
    });
    expect(cross.headers.get('access-control-allow-origin')).toBeNull();
  };

/**
 * A provider's `start`: nothing written, a redirect to the provider carrying state, an S256 PKCE
 * challenge (and a nonce for OIDC), and the attempt's cookies HttpOnly, SameSite=Lax and scoped to
 * the provider's routes. Only GET.
 */
const ssoStart =
  (provider: 'oidc' | 'github', providerOrigin: (w: World) => string): RouteCase =>
  async (w) => {
    await unchanged(w, async () => {
      const reply = await fetch(`${w.server.url}/api/auth/sso/${provider}/start?next=%00`, {
        redirect: 'manual',
        headers: { cookie: w.root.cookie },
      });
      expect(reply.status).toBe(302);
      const location = new URL(reply.headers.get('location')!);
      expect(location.origin).toBe(providerOrigin(w));
      expect(location.searchParams.get('state')).toBeTruthy();
      expect(location.searchParams.get('code_challenge_method')).toBe('S256');
      if (provider === 'oidc') expect(location.searchParams.get('nonce')).toBeTruthy();
      const cookies = reply.headers.getSetCookie();
      expect(cookies.map((c) => c.split('=')[0]).sort()).toEqual([
        'tessera_sso_nonce',
        'tessera_sso_state',
        'tessera_sso_verifier',
      ]);
      for (const cookie of cookies) {
        expect(cookie).toMatch(/HttpOnly/);
        expect(cookie).toMatch(/SameSite=Lax/);
        expect(cookie).toContain(`Path=/api/auth/sso/${provider}/`);
      }
      const post = await send(w, `/api/auth/sso/${provider}/start`, {
        method: 'POST',
        headers: { origin: w.server.url },
      });
      expect(post.status).toBe(405);
    });
  };

/**
 * A provider's `callback` without a matching attempt: whatever the query, cookies or session that
 * come along, nothing is written, no session cookie is set, and the browser goes to the sign-in
 * page with a reason.
 */
const ssoCallback =
  (provider: 'oidc' | 'github'): RouteCase =>
  async (w) => {
    const path = `/api/auth/sso/${provider}/callback`;
    const attempt = 'tessera_sso_verifier=v; tessera_sso_nonce=n';
    await unchanged(w, async () => {
      const refused: [string, string, string, string][] = [
        ['no attempt cookies', '?code=c&state=s', '', 'STATE_MISMATCH'],
        [
          'a state that does not match, with an admin session',
          '?code=c&state=forged',
          `${w.root.cookie}; tessera_sso_state=real; ${attempt}`,
          'STATE_MISMATCH',
        ],
        ['no state in the query', '?code=c', `tessera_sso_state=s; ${attempt}`, 'STATE_MISMATCH'],
        [
          'no PKCE verifier',
          '?code=c&state=s',
          'tessera_sso_state=s; tessera_sso_nonce=n',
          'ATTEMPT_EXPIRED',
        ],
        [
          'a code the provider never issued',
          '?code=forged&state=s',
          `tessera_sso_state=s; ${attempt}`,
          'PROVIDER_ERROR',
        ],
        [
          'hostile values',
          `?code=%00%E2%80%AE&state=${'s'.repeat(5000)}`,
          `tessera_sso_state=${'s'.repeat(5000)}; ${attempt}`,
          'PROVIDER_ERROR',
        ],
        [
          'an error from the provider',
          '?error=access_denied&state=s',
          `tessera_sso_state=s; ${attempt}`,
          'ACCESS_DENIED',
        ],
      ];
      for (const [label, query, cookie, reason] of refused) {
        const reply = await fetch(`${w.server.url}${path}${query}`, {
          redirect: 'manual',
          headers: cookie ? { cookie } : {},
        });
        expect(reply.status, label).toBe(302);
        expect(reply.headers.get('location'), label).toBe(`/sign-in?sso_error=${reason}`);
        const cookies = reply.headers.getSetCookie();
        expect(
          cookies.some((c) => c.startsWith('tessera_session=')),
          label,
        ).toBe(false);
        // The attempt is spent whatever happened.
        expect(
          cookies.filter((c) => c.includes('Max-Age=0')),
          label,
        ).toHaveLength(3);
      }
      expect(
        (await send(w, path, { method: 'POST', headers: { origin: w.server.url } })).status,
      ).toBe(405);
    });
    // The admin's session survived the refused callbacks.
    const me = await send(w, '/trpc/auth.me', { headers: { cookie: w.root.cookie } });
    expect(JSON.parse(me.text).result.data.user.email).toBe(w.root.email);
  };

export const routeCases: Record<RouteKey, RouteCase> = {
  'GET /api/auth/sso/oidc/start': ssoStart('oidc', (w) => w.issuer.issuer),
  'GET /api/auth/sso/oidc/callback': ssoCallback('oidc'),
  'GET /api/auth/sso/github/start': ssoStart('github', (w) => w.github.url),
  'GET /api/auth/sso/github/callback': ssoCallback('github'),

  'GET /healthz': async (w) => {
    const ok = await send(w, '/healthz?probe=%00%E2%80%AE');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({ ok: true });
    const post = await send(w, '/healthz', { method: 'POST', headers: { origin: w.server.url } });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  },

  'GET /trpc/:procedure': async (w) => {
    await unchanged(w, async () => {
      const unknown = await send(w, '/trpc/admin.nothing.here', {
        headers: { cookie: w.root.cookie },
      });
      expect(unknown.status).toBe(404);
      expect(json(unknown.text).error.data.code).toBe('NOT_FOUND');
      const notJson = await send(w, '/trpc/usage.daily?input=%7Bnot-json', {
        headers: { cookie: w.root.cookie },
      });
      expect(notJson.status).toBe(400);
      // A request the browser marks cross-site is refused even for reads (SSE included).
      const crossSite = await send(w, '/trpc/auth.sessions', {
        headers: { cookie: w.root.cookie, 'sec-fetch-site': 'cross-site' },
      });
      expect(crossSite.status).toBe(403);
      expect(json(crossSite.text).error.data.domainCode).toBe('CSRF_REJECTED');
      // A leaked API key is for /v1 only: it is no session for the app's procedures.
      const vendorMoney = `/trpc/vendor.money.subscribers?input=${encodeURIComponent(
        JSON.stringify({ tenantId: w.alice.tenantId }),
      )}`;
      for (const path of [
        '/trpc/auth.sessions',
        '/trpc/admin.users.list',
        '/trpc/vendor.mine',
        '/trpc/admin.money.subscriptions',
        vendorMoney,
      ]) {
        const withKey = await send(w, path, { headers: bearer(w.alice.apiKey) });
        expect(withKey.status, path).toBe(401);
      }
    });
  },

  'POST /trpc/:procedure': async (w) => {
    const headers = {
      cookie: w.root.cookie,
      origin: w.server.url,
      'content-type': 'application/json',
    };
    await unchanged(w, async () => {
      const tooLarge = await send(w, '/trpc/apiKeys.create', {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'x'.repeat(1_100_000) }),
      });
      expect(tooLarge.status).toBe(413);
      const notJson = await send(w, '/trpc/apiKeys.create', {
        method: 'POST',
        headers,
        body: '{name:',
      });
      expect(notJson.status).toBe(400);
      // An HTML form can post text/plain cross-site without a preflight: never accepted as JSON.
      const form = await send(w, '/trpc/apiKeys.create', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'text/plain' },
        body: JSON.stringify({ name: 'form' }),
      });
      expect(form.status).toBe(415);
      const queryOverPost = await send(w, '/trpc/auth.sessions', {
        method: 'POST',
        headers,
        body: '{}',
      });
      expect(queryOverPost.status).toBe(405);
      const put = await send(w, '/trpc/apiKeys.create', { method: 'PUT', headers, body: '{}' });
      expect(put.status).toBe(405);
    });
  },

  'GET /v1/models': async (w) => {
    for (const authorization of [
      undefined,
      'Bearer ',
      'Bearer tsk_not-a-key',
      `Basic ${w.alice.apiKey}`,
    ]) {
      const denied = await send(w, '/v1/models', {
        headers: authorization ? { authorization } : {},
      });
      expect(denied.status, authorization).toBe(401);
      expect(JSON.parse(denied.text).error.code).toBe('invalid_api_key');
    }
    // A session cookie is not an API key: /v1 must not be reachable with ambient credentials.
    expect((await send(w, '/v1/models', { headers: { cookie: w.alice.cookie } })).status).toBe(401);
    revokeApiKey(w.server.database.db, {
      userId: w.bob.userId,
      keyId: w.bob.apiKeyId,
      now: new Date(),
    });
    expect((await send(w, '/v1/models', { headers: bearer(w.bob.apiKey) })).status).toBe(401);
    const ok = await send(w, '/v1/models', { headers: bearer(w.alice.apiKey) });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text).data.length).toBeGreaterThan(0);
  },

  'POST /v1/chat/completions': async (w) => {
    const post = (body: string, headers: Record<string, string> = bearer(w.alice.apiKey)) =>
      send(w, '/v1/chat/completions', { method: 'POST', headers, body });
    await unchanged(w, async () => {
      expect((await post(JSON.stringify(completion), {})).status).toBe(401);
      expect((await post(JSON.stringify(completion), { cookie: w.alice.cookie })).status).toBe(401);
      const message = (content: unknown) => ({
        ...completion,
        messages: [{ role: 'user', content }],
      });
      const hostile: [string, string][] = [
        ['not JSON', '{"model":'],
        ['over 10 MB', JSON.stringify(message('x'.repeat(10_100_000)))],
        ['an array', '[]'],
        ['no model', JSON.stringify({ messages: completion.messages })],
        ['no messages', JSON.stringify({ model: 'tessera-mini', messages: [] })],
        [
          'a wrong role',
          JSON.stringify({ ...completion, messages: [{ role: 'root', content: 'x' }] }),
        ],
        ['content of the wrong type', JSON.stringify(message({ text: 1 }))],
        ['negative max_tokens', JSON.stringify({ ...completion, max_tokens: -1 })],
        [
          'max_tokens 1e309',
          JSON.stringify({ ...completion, max_tokens: 1 }).replace(':1}', ':1e309}'),
        ],
        ['fractional max_tokens', JSON.stringify({ ...completion, max_tokens: 0.5 })],
        [
          'a __proto__ key',
          JSON.stringify(completion).replace('{', '{"__proto__":{"polluted":true},'),
        ],
        ['a NUL', JSON.stringify(message('a\u0000b'))],
        ['a lone surrogate', JSON.stringify(message('a\uD800b'))],
        ['an RTL override', JSON.stringify(message('a\u202Eb'))],
        [
          'a __proto__ key in a tool schema',
          JSON.stringify({
            ...completion,
            tools: [{ type: 'function', function: { name: 'f', parameters: {} } }],
          }).replace('"parameters":{', '"parameters":{"__proto__":{"polluted":true}'),
        ],
        [
          'a file: image URL',
          JSON.stringify(
            message([{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }]),
          ),
        ],
        [
          'a tool message without its call id',
          JSON.stringify({ ...completion, messages: [{ role: 'tool', content: 'x' }] }),
        ],
        ['a temperature of 5', JSON.stringify({ ...completion, temperature: 5 })],
        ['a zero-width space', JSON.stringify(message('a\u200Bb'))],
      ];
      for (const [label, body] of hostile) {
        const reply = await post(body);
        expect(reply.status, `${label}: ${reply.text.slice(0, 200)}`).toBe(400);
        expect(JSON.parse(reply.text).error.type, label).toBe('invalid_request_error');
      }
    });
  },

  'OPTIONS /v1/models': v1Preflight('/v1/models', 'GET'),
  'OPTIONS /v1/chat/completions': v1Preflight('/v1/chat/completions', 'POST'),

  'POST /api/stripe/webhook': async (w) => {
    const payload = JSON.stringify({
      id: 'evt_security',
      object: 'event',
      type: 'invoice.paid',
      created: 1,
      data: { object: { id: 'in_security', object: 'invoice' } },
    });
    const sign = (body: string, secret = STRIPE_WEBHOOK_SECRET, timestamp?: number) =>
      Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
    const post = (body: string, headers: Record<string, string>) =>
      send(w, '/api/stripe/webhook', { method: 'POST', headers, body });
    // No session, origin or cookie makes an unsigned request count: only Stripe's signature does.
    await unchanged(w, async () => {
      const refused: [string, string, Record<string, string>][] = [
        [
          'unsigned, with an admin cookie',
          payload,
          { cookie: w.root.cookie, origin: w.server.url },
        ],
        ['signed with another secret', payload, { 'stripe-signature': sign(payload, 'whsec_x') }],
        [
          'a stale replay',
          payload,
          { 'stripe-signature': sign(payload, undefined, Math.floor(Date.now() / 1000) - 3600) },
        ],
        [
          'a modified body',
          payload.replace('invoice.paid', 'charge.refunded'),
          { 'stripe-signature': sign(payload) },
        ],
        [
          'a wrong signature with trailing junk',
          payload,
          { 'stripe-signature': `${sign(payload, 'whsec_x')}, x` },
        ],
        ['a __proto__ body', '{"__proto__":{"polluted":true}}', { 'stripe-signature': 'v1=00' }],
      ];
      for (const [label, body, headers] of refused) {
        expect((await post(body, headers)).status, label).toBe(400);
      }
      const huge = 'x'.repeat(1_100_000);
      expect((await post(huge, { 'stripe-signature': sign(huge) })).status).toBe(413);
      const get = await send(w, '/api/stripe/webhook');
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
    });
    const ok = await post(payload, { 'stripe-signature': sign(payload) });
    expect(ok.status).toBe(200);
    // A redelivery changes nothing.
    await unchanged(w, async () => {
      expect((await post(payload, { 'stripe-signature': sign(payload) })).status).toBe(200);
    });
  },

  'GET /*': async (w) => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
    ]) {
      const reply = await send(w, path);
      expect(reply.text, path).not.toContain('TOP-SECRET');
      expect(reply.status, path).toBeLessThan(500);
    }
    const page = await send(w, '/account');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await send(w, '/', { method: 'POST', headers: { origin: w.server.url } })).status).toBe(
      405,
    );
  },
};
