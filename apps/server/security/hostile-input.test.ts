// Hostile input to every procedure, from the platform admin (so input validation, not auth, is
// what refuses it): a 4xx with a code and field errors, never a 500, and not one row changed.
import { appRouter } from '@tessera/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './http.ts';
import { probesFor } from './probes.ts';
import { expectDetailedRefusal, normalize, procedures } from './procedures.ts';
import { dumpDatabase, startWorld, type World } from './world.ts';

const schemas = appRouter._def.procedures as unknown as Record<
  string,
  { _def: { inputs: { safeParse(v: unknown): { success: boolean } }[] } }
>;

/** Whether the procedure's own schemas accept `input` (a field left out may be optional). */
const schemaAccepts = (path: string) => (input: unknown) =>
  schemas[path]!._def.inputs.every((schema) => schema.safeParse(input).success);

describe('hostile input to every procedure', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(() => w.server.stop());

  it.each(procedures.map((p) => [p.path, p] as const))('%s', async (path, procedure) => {
    const valid = procedure.case.input?.(w);
    const probes = probesFor(valid as never, {
      // POST: just under the 1 MB body limit, so the schema's max is what refuses it. GET: what
      // a URL carries (the suite raises Node's header limit to 64 KB; production refuses long
      // URLs with 431 before any code runs).
      longString: procedure.type === 'mutation' ? 900_000 : 40_000,
      signed: procedure.case.signed ?? [],
      missingIsValid: schemaAccepts(path),
    });
    const before = dumpDatabase(w.server);
    for (const probe of probes) {
      const reply = normalize(
        await call(w.server, w.root, path, procedure.type, undefined, { raw: probe.raw }),
      );
      expectDetailedRefusal(reply, `${path} ${probe.label}`);
      // The admin is signed in and holds every role: a 401/403 would mean auth refused it first.
      expect([401, 403], `${path} ${probe.label}: refused by auth, not by input`).not.toContain(
        reply.status,
      );
    }
    expect(dumpDatabase(w.server), `${path}: hostile input changed the database`).toEqual(before);

    // The valid input it was derived from passes the schemas: the probes failed for their hostility.
    if (valid !== undefined) {
      // Public procedures as a visitor: signing in over a session would end that session.
      const as = procedure.access === 'public' ? null : w.root;
      const reply = normalize(await call(w.server, as, path, procedure.type, valid));
      const code = reply.body?.error?.data?.domainCode;
      // A business refusal (NOT_FOUND, INVALID_CREDENTIALS …) is fine; invalid input or a lost
      // session is not.
      const accepted =
        reply.status < 400 || (code && !['VALIDATION', 'UNAUTHENTICATED'].includes(code));
      expect(accepted, `${path} valid input: ${JSON.stringify(reply.body).slice(0, 300)}`).toBe(
        true,
      );
    }
  });
});
