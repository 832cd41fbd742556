// The server side of member-context-overhead.ts, run in its own process: a migrated database copy
// with the demo catalog and one signed-in user, and a tRPC router with the same catalog query
// behind a bare public procedure and behind the member gate. It is served by the production
// handler with the production clock (lib/trpc-bench-server.ts).
import {
  type ApiDeps,
  createCallerFactory,
  listCatalog,
  memberProcedure,
  publicProcedure,
  router,
} from '@tessera/api';
import { validateSessionToken } from '../../../packages/api/src/auth/sessions.ts';
import { listActiveMemberships } from '../../../packages/api/src/domain/memberships/list-active-memberships.ts';
import { listUserRoles } from '../../../packages/api/src/domain/tenancy/list-user-roles.ts';
import { authenticate } from '../../../packages/api/src/member/auth-cache.ts';
import { buildMemberContext } from '../../../packages/api/src/member/member-context.ts';
import {
  type CostRow,
  microsPerCall,
  serveSignedInBenchProcess,
  signedInCaller,
} from './lib/trpc-bench-server.ts';

const benchRouter = router({
  bare: publicProcedure.query(({ ctx }) => listCatalog(ctx.db)),
  gated: memberProcedure().query(({ ctx }) => listCatalog(ctx.db)),
  // For the in-process breakdown only: the gate alone, without a query whose noise would hide it.
  bareEmpty: publicProcedure.query(() => null),
  gatedEmpty: memberProcedure().query(() => null),
});

/** Where a gated request's extra time goes, measured in this process without HTTP. */
async function breakdown(deps: ApiDeps, userId: string, token: string): Promise<CostRow[]> {
  const { db } = deps;
  const now = deps.now();
  const auth = validateSessionToken(db, token, now);
  if (!auth) throw new Error('the bench session does not validate');
  const caller = signedInCaller(deps, createCallerFactory(benchRouter), token);
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

await serveSignedInBenchProcess({ router: benchRouter, breakdown });
