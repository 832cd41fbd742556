import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.ts';

// A well-formed token makes auth.me reach the database, where the dropped table fails.
const WELL_FORMED_TOKEN = `${'a'.repeat(24)}.${'b'.repeat(32)}`;

async function breakAndCall(server: TestServer) {
  await server.storage.sql('drop table sessions');
  const response = await fetch(`${server.url}/trpc/auth.me`, {
    headers: { cookie: `tessera_session=${WELL_FORMED_TOKEN}` },
  });
  return { status: response.status, body: await response.text() };
}

describe('unexpected errors', () => {
  let server: TestServer;
  afterEach(() => server.stop());

  it('reach production clients as a bare 500: no stack, no SQL, no file paths', async () => {
    server = await startTestServer({ nodeEnv: 'production' });
    const { status, body } = await breakAndCall(server);
    expect(status).toBe(500);
    expect(JSON.parse(body).error.message).toBe('Internal server error');
    expect(body).not.toMatch(/stack|sessions|sqlite|\.ts|at /i);
  });

  it('show the stack in development, where it helps', async () => {
    server = await startTestServer({ nodeEnv: 'development' });
    const { status, body } = await breakAndCall(server);
    expect(status).toBe(500);
    // SQLite: "no such table: sessions"; PostgreSQL: 'relation "sessions" does not exist'.
    expect(JSON.parse(body).error.data.stack).toMatch(
      /no such table: sessions|"sessions" does not exist/,
    );
  });
});
