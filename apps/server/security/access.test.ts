// Who may touch what: other people's ids, ids that name nothing, the wrong role, no session, and
// state changes from another site or over GET. Every refusal leaves the database as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type As, type CallOptions, call } from './http.ts';
import {
  carriesId,
  expectDetailedRefusal,
  normalize,
  type Procedure,
  procedures,
} from './procedures.ts';
import { dumpDatabase, startWorld, type World } from './world.ts';

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.server.stop());

/** Sends `input` as `as` and expects a refusal with one of `statuses`, nothing written. */
async function expectRefused(
  procedure: Procedure,
  as: As,
  input: unknown,
  statuses: number[],
  label: string,
  options: CallOptions = {},
) {
  const before = dumpDatabase(w.server);
  const reply = normalize(await call(w.server, as, procedure.path, procedure.type, input, options));
  expectDetailedRefusal(reply, label);
  expect(
    statuses,
    `${label}: status ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`,
  ).toContain(reply.status);
  expect(dumpDatabase(w.server), `${label}: the database changed`).toEqual(before);
  return reply;
}

describe('other users\u2019 and other vendors\u2019 ids', () => {
  it('every procedure whose input names a row by id has a `foreign` case', () => {
    const missing = procedures.filter(
      (p) => p.case.input && carriesId(p.case.input(w)) && !p.case.foreign,
    );
    expect(
      missing.map((p) => p.path),
      'add `foreign` to these cases in security/cases.ts',
    ).toEqual([]);
  });

  const withForeign = procedures.filter((p) => typeof p.case.foreign === 'function');
  it.each(withForeign.map((p) => [p.path, p] as const))(
    '%s: NOT_FOUND or FORBIDDEN',
    async (path, procedure) => {
      // bob owns vendor B; he reaches for alice's rows and vendor A's. Admin procedures are tried
      // by the platform admin, whose console is scoped to the platform's own rows.
      const as = procedure.access === 'admin' ? w.root : w.bob;
      const inputs = (procedure.case.foreign as (w: World) => unknown[])(w);
      expect(inputs.length).toBeGreaterThan(0);
      for (const [i, input] of inputs.entries()) {
        const reply = await expectRefused(procedure, as, input, [403, 404], `${path} #${i + 1}`);
        expect(['NOT_FOUND', 'FORBIDDEN']).toContain(reply.body.error.data.domainCode);
      }
    },
  );

  it('chat.stream: someone else\u2019s request id starts an answer of one\u2019s own, never replays theirs', async () => {
    // Request ids are scoped per user: carol reusing alice's (predictable) id is simply a request
    // of her own — admitted for her, and nothing of alice's answer comes back.
    const reply = await call(w.server, w.carol, 'chat.stream', 'subscription', {
      requestId: w.alice.requestId,
      model: 'tessera-mini',
      content: 'What did alice ask?',
    });
    expect(reply.status).toBe(200);
    expect(reply.body.data?.type, JSON.stringify(reply.body).slice(0, 200)).toBe('admitted');
  });

  // A mutation naming a row that does not exist answers 404 — never a 500 from a foreign key.
  const mutationsWithIds = procedures.filter((p) => p.type === 'mutation' && p.case.input);
  it.each(mutationsWithIds.map((p) => [p.path, p] as const))(
    '%s: an unknown id is refused, never a 500',
    async (path, procedure) => {
      const valid = procedure.case.input!(w) as Record<string, unknown>;
      const fields = idFields(valid).filter((f) => !(procedure.case.newIds ?? []).includes(f));
      for (const field of fields) {
        const input = withAt(valid, field, 'no-such-id-0000000000');
        const label = `${path} ${field}`;
        const reply = await expectRefused(procedure, w.root, input, [400, 403, 404], label);
        const { domainCode, fieldErrors } = reply.body.error.data;
        // NOT_FOUND / FORBIDDEN, or a validation error on exactly that field (a catalog reference).
        if (reply.status === 400) expect(Object.keys(fieldErrors ?? {}), label).toContain(field);
        else expect(['NOT_FOUND', 'FORBIDDEN'], label).toContain(domainCode);
      }
    },
  );
});

describe('roles', () => {
  const privileged = procedures.filter((p) => p.access === 'admin' || p.access === 'vendor');
  it.each(privileged.map((p) => [p.path, p] as const))(
    '%s refuses an ordinary signed-in user',
    async (path, procedure) => {
      // carol holds no role: admin.* is FORBIDDEN; vendor.* does not even confirm the vendor exists.
      const statuses = procedure.access === 'admin' ? [403] : [403, 404];
      await expectRefused(procedure, w.carol, procedure.case.input?.(w), statuses, path);
    },
  );

  const members = procedures.filter((p) => p.access !== 'public');
  it.each(members.map((p) => [p.path, p] as const))(
    '%s refuses an anonymous visitor',
    async (path, procedure) => {
      const reply = await expectRefused(procedure, null, procedure.case.input?.(w), [401], path);
      expect(reply.body.error.data.domainCode).toBe('UNAUTHENTICATED');
    },
  );
});

describe('state changes need this site', () => {
  const mutations = procedures.filter((p) => p.type === 'mutation');
  it.each(mutations.map((p) => [p.path, p] as const))(
    '%s: refused without Origin, cross-site, or over GET',
    async (path, procedure) => {
      const input = procedure.case.input?.(w);
      for (const origin of [null, 'https://evil.example', 'null']) {
        const reply = await expectRefused(
          procedure,
          w.root,
          input,
          [403],
          `${path} origin ${origin}`,
          { origin },
        );
        expect(reply.body.error.data.domainCode).toBe('CSRF_REJECTED');
      }
      await expectRefused(procedure, w.root, input, [405], `${path} over GET`, { method: 'GET' });
    },
  );
});

function idFields(node: unknown, prefix = ''): string[] {
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    (key === 'id' || key.endsWith('Id')) && typeof value === 'string'
      ? [`${prefix}${key}`]
      : idFields(value, `${prefix}${key}.`),
  );
}

function withAt(input: Record<string, unknown>, dotted: string, value: unknown) {
  const copy = structuredClone(input);
  const keys = dotted.split('.');
  let node = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
  return copy;
}
