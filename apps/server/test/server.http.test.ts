import { afterEach, describe, expect, it } from 'vitest';
import {
  CookieFetch,
  countRows,
  STRONG_PASSWORD,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';

describe('one port serves everything', () => {
  let server: TestServer;
  afterEach(() => server.stop());

  it('answers /healthz', async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('serves the SPA with client-side routing, cacheable assets and real 404s', async () => {
    server = await startTestServer();
    for (const path of ['/', '/account', '/admin/users?x=1']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('<div id="root">');
    }
    const asset = await fetch(`${server.url}/assets/app-abc123.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toContain('tessera');
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
    for (const path of ['/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('TOP-SECRET');
    }
  });

  it('signs up, keeps the session in an HttpOnly SameSite=Lax cookie, and signs out over HTTP', async () => {
    server = await startTestServer();
    const browser = new CookieFetch(server.url);
    const api = trpcClient(server.url, browser);
    const viewer = await api.auth.signUp.mutate({
      email: 'http@example.com',
      password: STRONG_PASSWORD,
    });
    expect(viewer.isPlatformAdmin).toBe(true);
    const cookie = browser.setCookieHeaders[0]!;
    expect(cookie).toMatch(/^tessera_session=[a-z2-7]{24}\.[a-z2-7]{32};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');

    expect((await api.auth.me.query())?.user.email).toBe('http@example.com');
    await api.auth.signOut.mutate();
    expect(browser.jar.size).toBe(0);
    expect(await api.auth.me.query()).toBeNull();
    expect(await countRows(server, 'users')).toBe(1);
  });

  it('finds the session cookie by its exact name among the other cookies a browser sends', async () => {
    server = await startTestServer();
    const browser = new CookieFetch(server.url);
    const api = trpcClient(server.url, browser);
    await api.auth.signUp.mutate({ email: 'cookies@example.com', password: STRONG_PASSWORD });
    const token = browser.jar.get('tessera_session')!;
    browser.jar.clear();
    browser.jar.set('_ga', 'GA1.2.3=4');
    browser.jar.set('broken', '%E0%A4%A');
    browser.jar.set(
      'tessera_session_old',
      'abcdefghijklmnopqrstuvwx.abcdefghijklmnopqrstuvwxyz234567',
    );
    browser.jar.set('tessera_session', token);
    browser.jar.set('theme', 'dark');
    expect((await api.auth.me.query())?.user.email).toBe('cookies@example.com');

    browser.jar.delete('tessera_session'); // a look-alike name is not the session
    expect(await api.auth.me.query()).toBeNull();
  });

  it('uses a Secure __Host- cookie when the public URL is HTTPS', async () => {
    server = await startTestServer({ publicUrl: 'https://chat.example.com' });
    const browser = new CookieFetch('https://chat.example.com');
    await trpcClient(server.url, browser).auth.signUp.mutate({
      email: 's@example.com',
      password: STRONG_PASSWORD,
    });
    const cookie = browser.setCookieHeaders[0]!;
    expect(cookie).toMatch(/^__Host-tessera_session=/);
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Domain');
  });

  it('never changes state over GET: a mutation sent as GET is refused', async () => {
    server = await startTestServer();
    const input = encodeURIComponent(
      JSON.stringify({ email: 'get@example.com', password: STRONG_PASSWORD }),
    );
    const response = await fetch(`${server.url}/trpc/auth.signUp?input=${input}`);
    expect(response.status).toBe(405);
    expect(await countRows(server, 'users')).toBe(0);
  });
});
