import { afterEach, describe, expect, it } from 'vitest';
import {
  CookieFetch,
  countRows,
  STRONG_PASSWORD,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';

function signUpRequest(url: string, headers: Record<string, string>) {
  return fetch(`${url}/trpc/auth.signUp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email: 'csrf@example.com', password: STRONG_PASSWORD }),
  });
}

describe('Origin check on state-changing requests', () => {
  let server: TestServer;
  afterEach(() => server.stop());

  it('refuses a foreign origin, a missing origin and an opaque origin, writing nothing', async () => {
    server = await startTestServer();
    const attempts: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      {},
      { origin: 'null' },
    ];
    for (const headers of attempts) {
      const response = await signUpRequest(server.url, headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(
        ((await response.json()) as { error: { data: { domainCode: string } } }).error.data
          .domainCode,
      ).toBe('CSRF_REJECTED');
    }
    expect(await countRows(server, 'users')).toBe(0);
  });

  it('accepts the same origin and configured trusted origins', async () => {
    server = await startTestServer({ trustedOrigins: ['https://app.example.com'] });
    expect((await signUpRequest(server.url, { origin: server.url })).status).toBe(200);
    const trusted = await fetch(`${server.url}/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://app.example.com' },
      body: JSON.stringify({ email: 'csrf@example.com', password: STRONG_PASSWORD }),
    });
    expect(trusted.status).toBe(200);
  });

  it('refuses any request the browser marks cross-site, GET included', async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/trpc/auth.me`, {
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(response.status).toBe(403);
    const sameSite = await fetch(`${server.url}/trpc/auth.me`, {
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(sameSite.status).toBe(200);
  });
});

describe('Fetch Metadata on subscription starts (a chat is a GET that spends money)', () => {
  let server: TestServer;
  afterEach(() => server.stop());

  it('refuses a cookie-carrying subscription a browser says is not same-origin; same-origin and non-browser clients stream', async () => {
    server = await startTestServer({
      seedDemo: true,
      trustedOrigins: ['https://app.example.com'],
    });
    const browser = new CookieFetch(server.url);
    await trpcClient(server.url, browser).auth.signUp.mutate({
      email: 'victim@example.com',
      password: STRONG_PASSWORD,
    });
    const cookie = [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let n = 0;
    const start = async (headers: Record<string, string>, path = 'chat.stream') => {
      const input = { requestId: `csrf-request-${n++}`, model: 'tessera-mini', content: 'Hi' };
      const abort = new AbortController();
      const response = await fetch(
        `${server.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`,
        { headers: { cookie, ...headers }, signal: abort.signal },
      );
      const type = response.headers.get('content-type') ?? '';
      abort.abort();
      return { status: response.status, sse: type.includes('text/event-stream') };
    };
    const admitted = () => countRows(server, 'credit_reservations');

    // A link on a sibling subdomain, a link opened from a mail or a bookmark: all navigations.
    for (const site of ['same-site', 'none']) {
      expect(await start({ 'sec-fetch-site': site, 'sec-fetch-mode': 'navigate' })).toEqual({
        status: 403,
        sse: false,
      });
      // An escaped path names the same procedure.
      expect((await start({ 'sec-fetch-site': site }, 'chat%2Estream')).status).toBe(403);
    }
    expect(await admitted()).toBe(0);

    // The SPA itself, a trusted origin's EventSource, and a non-browser client stream.
    expect(await start({ 'sec-fetch-site': 'same-origin' })).toEqual({ status: 200, sse: true });
    expect(
      await start({ 'sec-fetch-site': 'same-site', origin: 'https://app.example.com' }),
    ).toEqual({ status: 200, sse: true });
    expect(await start({})).toEqual({ status: 200, sse: true });
    // A same-site GET query reads nothing it could leak (CORS) and changes nothing: still allowed.
    const query = await fetch(`${server.url}/trpc/auth.me`, {
      headers: { cookie, 'sec-fetch-site': 'same-site' },
    });
    expect(query.status).toBe(200);
  });
});
