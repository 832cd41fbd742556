// What the tRPC-over-HTTP benchmarks' server processes share (member-context, api-query): a
// migrated database copy with the demo catalog and one signed-in member, served by the production
// tRPC handler (apps/server/src/http/trpc-handler.ts: CSRF check, cookie jar, request meta,
// context) and dispatched as apps/server/src/app.ts routes /trpc/, with the production clock. Each
// benchmark brings its own router and its own in-process breakdown.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ApiDeps,
  type CookieJar,
  createContext,
  createUser,
  seedDemoData,
} from '@tessera/api';
import type { AnyTRPCRouter } from '@trpc/server';
import { createSession } from '../../../../packages/api/src/auth/sessions.ts';
import { createTrpcHandler, TRPC_PREFIX } from '../../src/http/trpc-handler.ts';
import { createLogger } from '../../src/logger.ts';
import { median } from './compare.ts';
import { benchDatabase, listenLocal } from './fixtures.ts';
import { serveBenchProcess } from './server-process.ts';

export const SESSION_COOKIE = 'tessera_session';

export interface SignedInServerInfo {
  origin: string;
  sessionToken: string;
}

/** One row of an in-process breakdown: what a piece of a request costs, in µs per call. */
export interface CostRow {
  label: string;
  micros: number;
}

function serve(deps: ApiDeps, router: AnyTRPCRouter) {
  const handleTrpc = createTrpcHandler({
    deps,
    trustedOrigins: [],
    trustProxy: false,
    logger: createLogger({ logLevel: 'silent', nodeEnv: 'production' }),
    router,
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
export async function microsPerCall(fn: () => unknown): Promise<number> {
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

/**
 * Callers as the signed-in member's browser reaches the router, without HTTP: pass
 * `createCallerFactory(router)`, so the caller keeps the router's type.
 */
export function signedInCaller<Caller>(
  deps: ApiDeps,
  createCaller: (context: ReturnType<typeof createContext>) => Caller,
  token: string,
): () => Caller {
  const jar: CookieJar = { get: (name) => (name === SESSION_COOKIE ? token : undefined), set() {} };
  return () => createCaller(createContext(deps, jar, { ip: null, userAgent: null }));
}

/** Serves `router` to one signed-in member in this (forked) process until the parent closes it. */
export function serveSignedInBenchProcess(options: {
  router: AnyTRPCRouter;
  breakdown: (deps: ApiDeps, userId: string, token: string) => Promise<CostRow[]>;
}): Promise<void> {
  return serveBenchProcess<SignedInServerInfo>(async () => {
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
      // "last seen" touch) never writes, in any variant.
      const deps: ApiDeps = {
        db: database.db,
        secureCookies: false,
        exposeErrorDetails: false,
        now: () => new Date(),
        timeZone: 'UTC',
      };
      const server = await listenLocal(serve(deps, options.router));
      return {
        info: { origin: server.origin, sessionToken: token },
        commands: { breakdown: () => options.breakdown(deps, user.id, token) },
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
}
