// The server side of api-query.ts, run in its own process: a migrated database copy with the demo
// catalog and one signed-in member, served by the production tRPC handler
// (apps/server/src/http/trpc-handler.ts) with the production router and clock. The router served is
// the app router's own procedures (same paths, same middleware) plus one bench-only `floor`: a
// public query that answers null, so the production router carries no test procedure.
import {
  type ApiDeps,
  appRouter,
  createCallerFactory,
  listCatalog,
  publicProcedure,
  router,
} from '@tessera/api';
import { authenticate } from '../../../packages/api/src/member/auth-cache.ts';
import { FLOOR_PATH, TYPICAL_PATH } from './api-query.ts';
import {
  type CostRow,
  microsPerCall,
  serveSignedInBenchProcess,
  signedInCaller,
} from './lib/trpc-bench-server.ts';

// The app router's record spread into a new router keeps every production path as it is.
const benchRouter = router({
  ...appRouter._def.record,
  [FLOOR_PATH]: publicProcedure.query(() => null),
});

/** Where the typical query's time goes beyond the floor, measured in this process without HTTP. */
async function breakdown(deps: ApiDeps, userId: string, token: string): Promise<CostRow[]> {
  const { db } = deps;
  const caller = signedInCaller(deps, createCallerFactory(benchRouter), token);
  const result = await caller().membership.catalog();
  const outputs = (
    appRouter._def.procedures as unknown as Record<
      string,
      { _def: { output?: { parse(value: unknown): unknown } } }
    >
  )[TYPICAL_PATH]?._def.output;
  const rows: CostRow[] = [
    {
      label: 'authenticate + member (cached: epoch read, SHA-256)',
      micros: await microsPerCall(() => authenticate(db, token, new Date())?.member(new Date())),
    },
    {
      label: 'listCatalog for the viewer',
      micros: await microsPerCall(() => listCatalog(db, { viewerId: userId })),
    },
  ];
  if (outputs)
    rows.push({
      label: '.output() validation of the answer',
      micros: await microsPerCall(() => outputs.parse(result)),
    });
  rows.push(
    {
      label: `JSON.stringify of the answer (${JSON.stringify(result).length} bytes)`,
      micros: await microsPerCall(() => JSON.stringify({ result: { data: result } })),
    },
    { label: 'tRPC caller, floor', micros: await microsPerCall(() => caller().floor()) },
    {
      label: `tRPC caller, ${TYPICAL_PATH}`,
      micros: await microsPerCall(() => caller().membership.catalog()),
    },
  );
  return rows;
}

await serveSignedInBenchProcess({ router: benchRouter, breakdown });
