// The server side of member-context-overhead.ts, run in its own process: a migrated database copy
// with the demo catalog and one signed-in user, and a tRPC router with the same catalog query
// behind a bare public procedure and behind the member gate. It is served by the production
// handler (apps/server/src/http/trpc-handler.ts: CSRF check, cookie jar, request meta, context)
// and dispatched as apps/server/src/app.ts does, with the production clock.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ApiDeps,
  type CookieJar,
  createCallerFactory,
  createContext,
  createUser,
  listCatalog,
  memberProcedure,
  publicProcedure,
  router,
  seedDemoData,
} from '@tessera/api';
import { createSession, validateSessionToken } from '../../../packages/api/src/auth/sessions.ts';
import { listActiveMemberships } from '../../../packages/api/src/domain/memberships/list-active-memberships.ts';
import { listUserRoles } from '../../../packages/api/src/domain/tenancy/list-user-roles.ts';
import { authenticate } from '../../../packages/api/src/member/auth-cache.ts';
import { buildMemberContext } from '../../../packages/api/src/member/member-context.ts';
import { createTrpcHandler, TRPC_PREFIX } from '../src/http/trpc-handler.ts';
import { createLogger } from '../src/logger.ts';
import { median } from './lib/compare.ts';
import { benchDatabase, listenLocal } from './lib/fixtures.ts';
import { serveBenchProcess } from './lib/server-process.ts';

export const SESSION_COOKIE = 'tessera_session';

export interface MemberContextServerInfo {
  origin: string;
  sessionToken: string;
}

/** One row of the in-process breakdown: what a piece of a request costs, in µs per call. */
export interface CostRow {
  label: string;
  micros: number;
}

const benchRouter = router({
  bare: publicProcedure.query(({ ctx }) => listCatalog(ctx.db)),
  gated: memberProcedure().query(({ ctx }) => listCatalog(ctx.db)),
  // For the in-process breakdown only: the gate alone, without a query whose noise would hide it.
  bareEmpty: publicProcedure.query(() => null),
  gatedEmpty: memberProcedure().query(() => null),
});

// As apps/server/src/app.ts routes /trpc/ (the other routes are not needed here).
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
  const estimate = await batch(200); // also the warm-up: JIT, SQLite page cache
  const calls = Math.max(20, Math.round(40_000 / estimate));
  const perBatch: number[] = [];
  for (let b = 0; b < 5; b++) perBatch.push(await batch(calls));
  return median(perBatch);
}

/** Where a gated request's extra time goes, measured in this process without HTTP. */
async function breakdown(deps: ApiDeps, userId: string, token: string): Promise<CostRow[]> {
  const { db } = deps;
  const now = deps.now();
  const auth = validateSessionToken(db, token, now);
  if (!auth) throw new Error('the bench session does not validate');
  const jar: CookieJar = { get: (name) => (name === SESSION_COOKIE ? token : undefined), set() {} };
  const createCaller = createCallerFactory(benchRouter);
  const caller = () => createCaller(createContext(deps, jar, { ip: null, userAgent: null }));
  return [
    {
      label: 'per request: authenticate + member (epoch read, SHA-256)',
      micros: await microsPerCall(() => authenticate(db, token, now)?.member(now)),
    },
    {
      label: 'cache miss: validateSessionToken (SELECT, SHA-256)',
      micros: await microsPerCall(() => validateSessionToken(db, token, now)),
    },
    {
      label: 'cache miss: listUserRoles (SELECT)',
      micros: await microsPerCall(() => listUserRoles(db, userId)),
    },
    {
      label: 'cache miss: listActiveMemberships (SELECT)',
      micros: await microsPerCall(() => listActiveMemberships(db, userId, now)),
    },
    {
      label: 'cache miss: buildMemberContext (roles, marks, merge)',
      micros: await microsPerCall(() => buildMemberContext(db, auth, now)),
    },
    { label: 'listCatalog (both variants)', micros: await microsPerCall(() => listCatalog(db)) },
    { label: 'tRPC caller, bare', micros: await microsPerCall(() => caller().bare()) },
    { label: 'tRPC caller, gated', micros: await microsPerCall(() => caller().gated()) },
    {
      label: 'tRPC caller, bare, no query',
      micros: await microsPerCall(() => caller().bareEmpty()),
    },
    {
      label: 'tRPC caller, gated, no query',
      micros: await microsPerCall(() => caller().gatedEmpty()),
    },
  ];
}

await serveBenchProcess<MemberContextServerInfo>(async () => {
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
    // The production clock. The session was just created, so a run (well under the hourly
    // "last seen" touch) never writes, in either variant.
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
