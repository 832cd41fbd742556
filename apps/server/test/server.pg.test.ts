// The server on PostgreSQL (DATABASE_URL, decision 034): a real server on a fresh PostgreSQL
// database, driven over real HTTP the way the SPA and an API client drive it. Nothing here opens
// the SQLite file: on PostgreSQL the server's SQLite handle throws on any use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CookieFetch,
  chatStream,
  enterpriseApiMember,
  STRONG_PASSWORD,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';

describe('one server on PostgreSQL', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ seedDemo: true }, 'postgres');
  }, 60_000);
  afterAll(() => server?.stop());

  it('reports the engine it runs on, and its health check asks PostgreSQL', async () => {
    expect(server.storage.engine).toBe('postgres');
    const health = await fetch(`${server.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
  });

  it('signs up, signs in, reads the seeded catalog, and streams an answer that is charged once', async () => {
    const tab = new CookieFetch(server.url);
    const client = trpcClient(server.url, tab);
    const viewer = await client.auth.signUp.mutate({
      email: 'first@example.com',
      password: STRONG_PASSWORD,
    });
    expect(viewer.isPlatformAdmin).toBe(true); // the first account claims the platform
    await client.auth.signOut.mutate();
    await client.auth.signIn.mutate({ email: 'first@example.com', password: STRONG_PASSWORD });
    expect((await client.auth.me.query())?.user.email).toBe('first@example.com');

    const catalog = await client.membership.catalog.query();
    expect(catalog.map((plan) => plan.key)).toEqual(
      expect.arrayContaining(['free', 'pro-monthly']),
    );

    const cookie = [...tab.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const done = new AbortController();
    const types: string[] = [];
    let text = '';
    for await (const event of chatStream(
      server,
      cookie,
      { requestId: 'pg-first-chat', model: 'tessera-mini', content: 'Hello from PostgreSQL' },
      done.signal,
    )) {
      types.push(event.data.type);
      if (event.data.type === 'delta') text += event.data.text ?? '';
      if (event.data.type === 'done' || event.data.type === 'error') break;
    }
    done.abort();
    expect(types[0]).toBe('admitted');
    expect(types.at(-1)).toBe('done');
    expect(text.length).toBeGreaterThan(0);

    const conversations = await client.chat.conversations.list.query();
    expect(conversations).toHaveLength(1);
    const invariants = await server.storage.stores.money.checkInvariants();
    expect(invariants.ok).toBe(true);
  });

  it('answers /v1 through the official openai SDK with a key made on PostgreSQL', async () => {
    const { client } = await enterpriseApiMember(server, { credits: 1_000_000 });
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain('tessera-mini');
    const completion = await client.chat.completions.create({
      model: 'tessera-mini',
      messages: [{ role: 'user', content: 'Say something' }],
    });
    expect(completion.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  });
});
