// The server side of api-query.ts, run in its own process: a migrated database copy with the demo
// catalog and one signed-in member, served by the production tRPC handler
// (apps/server/src/http/trpc-handler.ts) with the production router and clock. The router served is
// the app router's own procedures (same paths, same middleware) plus one bench-only `floor`: a
// public query that answers null, so the production router carries no test procedure.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ApiDeps,
  appRouter,
  type CookieJar,
  createCallerFactory,
  createContext,
  createUser,
  listCatalog,
  publicProcedure,
  router,
  seedDemoData,
} from '@tessera/api';
import { createSession } from '../../../packages/api/src/auth/sessions.ts';
import { authenticate } from '../../../packages/api/src/member/auth-cache.ts';
import { createTrpcHandler, TRPC_PREFIX } from '../src/http/trpc-handler.ts';
import { createLogger } from '../src/logger.ts';
import { FLOOR_PATH, SESSION_COOKIE, TYPICAL_PATH } from './api-query.ts';
import { median } from './lib/compare.ts';
import { benchDatabase, listenLocal } from './lib/fixtures.ts';
import { serveBenchProcess } from './lib/server-process.ts';

export interface ApiQueryServerInfo {
  origin: string;
  sessionToken: string;
}

/** One row of the in-process breakdown: what a piece of a request costs, in µs per call. */
export interface CostRow {
  label: string;
  micros: number;
}

// The app router's record spread into a new router keeps every production path as it is.
const benchRouter = router({
  ...appRouter._def.record,
  [FLOOR_PATH]: publicProcedure.query(() => null),
});

function serve(deps: ApiDeps) {
  const handleTrpc = createTrpcHandler({
    deps,
    trustedOrigins: [],
    trustProxy: false,
    logger: createLogger({ logLevel: 'silent', nodeEnv: 'production' }),
    router: benchRouter,
  });
  return (req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!pathname.startsWith(TRPC_PREFIX)) {
      res.writeHead(404).end();
      return;
    }
    handleTrpc(req, res, pathname).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
}

/** µs per call of `fn`: the median of 5 batches of ≈ 40 ms each, after a warm-up batch. */
async function microsPerCall(fn: () => unknown): Promise<number> {
  const batch = async (calls: number) => {
    const started = performance.now();
    for (let i = 0; i < calls; i++) await fn();
    return ((performance.now() - started) * 1000) / calls;
  };
  const estimate = await batch(200);
  const calls = Math.max(20, Math.round(40_000 / estimate));
  const perBatch: number[] = [];
  for (let b = 0; b < 5; b++) perBatch.push(await batch(calls));
  return median(perBatch);
}

/** Where the typical query's time goes beyond the floor, measured in this process without HTTP. */
async function breakdown(deps: ApiDeps, userId: string, token: string): Promise<CostRow[]> {
  const { db } = deps;
  const jar: CookieJar = { get: (name) => (name === SESSION_COOKIE ? token : undefined), set() {} };
  const createCaller = createCallerFactory(benchRouter);
  const caller = () => createCaller(createContext(deps, jar, { ip: null, userAgent: null }));
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

await serveBenchProcess<ApiQueryServerInfo>(async () => {
  const database = benchDatabase();
  try {
    const now = new Date();
    seedDemoData(database.db, now);
    const user = await createUser(database.db, {
      email: 'bench@example.test',
      password: 'tessellated-mosaic-42',
      now,
    });
    const { token } = createSession(database.db, {
      userId: user.id,
      now,
      ip: null,
      userAgent: null,
    });
    // The production clock: the session was just created, so no "last seen" write during a run.
    const deps: ApiDeps = {
      db: database.db,
      secureCookies: false,
      exposeErrorDetails: false,
      now: () => new Date(),
      timeZone: 'UTC',
    };
    const server = await listenLocal(serve(deps));
    return {
      info: { origin: server.origin, sessionToken: token },
      commands: { breakdown: () => breakdown(deps, user.id, token) },
      async close() {
        await server.close();
        database.destroy();
      },
    };
  } catch (error) {
    database.destroy();
    throw error;
  }
});
