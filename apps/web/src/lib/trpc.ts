import type { AppRouter } from '@tessera/api';
import { httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCReact } from '@trpc/react-query';
import type { inferRouterOutputs } from '@trpc/server';

/** The typed tRPC hooks. Only the router's *type* comes from @tessera/api. */
export const trpc = createTRPCReact<AppRouter>();

export type RouterOutputs = inferRouterOutputs<AppRouter>;
/** The signed-in member as `auth.me` returns it (dates are ISO strings: no transformer). */
export type Me = NonNullable<RouterOutputs['auth']['me']>;
export type SessionRow = RouterOutputs['auth']['sessions'][number];
export type AdminUserRow = RouterOutputs['admin']['users']['list'][number];

const TRPC_URL = '/trpc';

export function createTrpcClient() {
  return trpc.createClient({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: TRPC_URL,
          eventSourceOptions: { withCredentials: true },
        }),
        false: httpBatchLink({
          url: TRPC_URL,
          fetch: (url, options) => fetch(url, { ...options, credentials: 'include' }),
        }),
      }),
    ],
  });
}
