// The suite grows with the API: a procedure or route without a case fails here, by name.
import { describe, expect, it } from 'vitest';
import { routeKey, routes } from '../src/http/routes.ts';
import { procedures, stale, uncovered } from './procedures.ts';
import { routeCases } from './route-cases.ts';

describe('every procedure and route has a security case', () => {
  it('every tRPC procedure has an entry in security/cases.ts', () => {
    expect(
      uncovered,
      `procedures without a case in apps/server/security/cases.ts: ${uncovered.join(', ')}`,
    ).toEqual([]);
    expect(stale, `cases for procedures that no longer exist: ${stale.join(', ')}`).toEqual([]);
  });

  it('every HTTP route has an entry in security/route-cases.ts', () => {
    const missing = routes.map(routeKey).filter((key) => !(key in routeCases));
    expect(
      missing,
      `routes without a case in apps/server/security/route-cases.ts: ${missing.join(', ')}`,
    ).toEqual([]);
  });

  it('every procedure that takes input has a valid example to derive hostile input from', () => {
    const missing = procedures.filter((p) => p.takesInput && !p.case.input).map((p) => p.path);
    expect(missing, `cases without \`input\`: ${missing.join(', ')}`).toEqual([]);
  });
  // (Whether every procedure taking an id has a `foreign` case is checked in access.test.ts,
  // where a world exists to evaluate the inputs in.)
});
