// Every procedure that takes input answers bad input with a 400-class error naming the fields,
// and writes nothing. The router is enumerated at test time, so a new procedure is covered the
// moment it exists.
import { appRouter } from '@tessera/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CookieFetch,
  countRows,
  STRONG_PASSWORD,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';

interface ProcedureLike {
  _def: { type: 'query' | 'mutation' | 'subscription'; inputs: unknown[] };
}

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, ProcedureLike>,
);
const withInput = procedures.filter(
  ([, p]) => p._def.inputs.length > 0 && p._def.type !== 'subscription',
);

/** An input of the right outer shape with every field of the wrong type. */
function badInput(schema: unknown): { input: unknown; fields: string[] } {
  let inner = schema as z.ZodType;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable)
    inner = inner.unwrap() as z.ZodType;
  if (inner instanceof z.ZodObject) {
    const fields = Object.keys(inner.shape);
    return { input: Object.fromEntries(fields.map((f) => [f, { wrong: ['type'] }])), fields };
  }
  return { input: { wrong: ['type'] }, fields: ['_form'] };
}

/** The application's tables, from the engine's own catalogue. */
async function tableNames(server: TestServer): Promise<string[]> {
  const query =
    server.storage.engine === 'postgres'
      ? "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'"
      : "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'";
  const rows = await server.storage.sql<{ name: string }>(query);
  return rows.map((row) => row.name).filter((name) => !name.startsWith('__drizzle'));
}

async function tableCounts(server: TestServer) {
  const counts: Record<string, number> = {};
  for (const name of await tableNames(server)) counts[name] = await countRows(server, `"${name}"`);
  return counts;
}

describe('bad input to every procedure', () => {
  let server: TestServer;
  const admin = new CookieFetch(null);

  beforeAll(async () => {
    server = await startTestServer({ seedDemo: true });
    const browser = new CookieFetch(server.url);
    await trpcClient(server.url, browser).auth.signUp.mutate({
      email: 'admin@example.com',
      password: STRONG_PASSWORD,
    });
    for (const [k, v] of browser.jar) admin.jar.set(k, v); // the first account: platform owner
    // Enterprise too, so plan gates (API access, models) pass and only the input is wrong.
    const { stores } = server.storage;
    const [user] = await server.storage.sql<{ id: string }>('select id from users');
    await stores.members.grantMark({
      userId: user!.id,
      markId: (await stores.catalog.getMarkByKey('enterprise')).id,
      days: 30,
      source: 'admin',
      actorUserId: null,
      now: new Date(),
    });
  });
  afterAll(() => server.stop());

  it('covers the router', () => {
    expect(withInput.map(([path]) => path)).toEqual(
      expect.arrayContaining(['auth.signUp', 'auth.signIn', 'admin.users.list']),
    );
  });

  it.each(withInput)('%s → 400 with field details, nothing written', async (path, procedure) => {
    const { input, fields } = badInput(procedure._def.inputs[0]);
    const before = await tableCounts(server);
    const encoded = encodeURIComponent(JSON.stringify(input));
    const response =
      procedure._def.type === 'query'
        ? await admin.fetch(`${server.url}/trpc/${path}?input=${encoded}`)
        : await admin.fetch(`${server.url}/trpc/${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: server.url },
            body: JSON.stringify(input),
          });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as {
      error: { data: Record<string, unknown> & { fieldErrors: object } };
    };
    expect(error.data.domainCode).toBe('VALIDATION');
    // Keys are full paths (`fields.priceMinor`); every top-level field must be named, in codes.
    const named = new Set(Object.keys(error.data.fieldErrors).map((key) => key.split('.')[0]));
    expect([...named].sort()).toEqual(fields.sort());
    for (const codes of Object.values(error.data.fieldErrors) as string[][]) {
      for (const code of codes) expect(code).toMatch(/^[A-Z_]+$/);
    }
    expect(error.data).not.toHaveProperty('stack');
    expect(await tableCounts(server)).toEqual(before);
  });
});
