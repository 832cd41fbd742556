import { users } from '@tessera/db';
import { afterEach, describe, expect, it } from 'vitest';
import { STRONG_PASSWORD, startTestServer, type TestServer } from './harness.ts';

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
    expect(server.database.db.select().from(users).all()).toHaveLength(0);
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
