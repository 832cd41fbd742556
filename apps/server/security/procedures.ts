// The router, walked at test time, and what the suite expects of a refusal.
import { appRouter, type DomainErrorCode, domainErrorTable } from '@tessera/api';
import { expect } from 'vitest';
import { type ProcedureCase, procedureCases } from './cases.ts';
import type { ProcedureType, Reply } from './http.ts';

export interface Procedure {
  path: string;
  type: ProcedureType;
  takesInput: boolean;
  case: ProcedureCase;
  access: 'public' | 'member' | 'vendor' | 'admin';
}

interface ProcedureDef {
  _def: { type: ProcedureType; inputs: unknown[] };
}

const defs = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;

/** Router paths that have no entry in the case table. */
export const uncovered = Object.keys(defs).filter((path) => !(path in procedureCases));

/** Case-table entries for procedures that no longer exist (stale after a rename). */
export const stale = Object.keys(procedureCases).filter((path) => !(path in defs));

/** Every procedure that has a case (the ones without fail the coverage test instead). */
export const procedures: Procedure[] = Object.entries(defs)
  .filter(([path]) => path in procedureCases)
  .map(([path, def]) => {
    const entry = procedureCases[path]!;
    const access = path.startsWith('admin.')
      ? 'admin'
      : path.startsWith('vendor.') && entry.access !== 'member'
        ? 'vendor'
        : (entry.access ?? 'member');
    return {
      path,
      type: def._def.type,
      takesInput: def._def.inputs.length > 0,
      case: entry,
      access,
    };
  });

/** Does this input name a row by id (`id`, `userId`, `fields.markId`, …)? */
export function carriesId(input: unknown): boolean {
  if (input === null || typeof input !== 'object') return false;
  return Object.entries(input).some(
    ([key, value]) =>
      ((key === 'id' || key.endsWith('Id')) && typeof value === 'string') || carriesId(value),
  );
}

/**
 * A subscription's refusal arrives inside an SSE stream (a `serialized-error` event, or a typed
 * `refused` event from the chat engine); this turns both into the status and error a query has.
 */
export function normalize(reply: Reply): Reply {
  const body = reply.body as { event?: string; data?: Record<string, unknown> } | null;
  if (!body || typeof body !== 'object' || !('event' in body)) return reply;
  if (body.event === 'serialized-error') {
    const error = body.data as { data: { httpStatus: number } };
    return { status: error.data.httpStatus, body: { error } };
  }
  const refused = body.data as { type?: string; reason?: { code: DomainErrorCode } } | null;
  if (refused?.type === 'refused' && refused.reason) {
    const code = refused.reason.code;
    return { status: domainErrorTable[code].http, body: { error: { data: { domainCode: code } } } };
  }
  return { status: 200, body: { result: body.data } };
}

/** A refusal with something a client can act on: a domain code (and field errors), no stack. */
export function expectDetailedRefusal(reply: Reply, label: string) {
  expect(
    reply.status,
    `${label}: ${JSON.stringify(reply.body).slice(0, 300)}`,
  ).toBeGreaterThanOrEqual(400);
  expect(reply.status, label).toBeLessThan(500);
  const data = reply.body?.error?.data;
  expect(data, `${label}: an error shape`).toBeTruthy();
  // Transport-level refusals (body too large, wrong method) carry tRPC's code; the rest ours.
  expect(data.domainCode ?? data.code, `${label}: a machine-readable code`).toBeTruthy();
  if (data.domainCode === 'VALIDATION') {
    expect(Object.keys(data.fieldErrors ?? {}).length, `${label}: field errors`).toBeGreaterThan(0);
  }
  expect(data.stack, `${label}: no stack`).toBeUndefined();
}
