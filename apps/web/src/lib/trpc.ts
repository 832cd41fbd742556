import type { AppRouter } from '@tessera/api';
import { httpBatchLink, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCReact } from '@trpc/react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

/** The typed tRPC hooks. Only the router's *type* comes from @tessera/api. */
export const trpc = createTRPCReact<AppRouter>();

export type RouterOutputs = inferRouterOutputs<AppRouter>;
/** The signed-in member as `auth.me` returns it (dates are ISO strings: no transformer). */
export type Me = NonNullable<RouterOutputs['auth']['me']>;
export type SessionRow = RouterOutputs['auth']['sessions'][number];
export type InvoiceRow = RouterOutputs['billing']['invoices'][number];
export type AdminUserRow = RouterOutputs['admin']['users']['list'][number];
export type AdminUserDetail = RouterOutputs['admin']['users']['byId'];
export type MembershipRecord = AdminUserDetail['memberships'][number];
export type CatalogPlan = RouterOutputs['membership']['catalog'][number];
export type HeldMark = RouterOutputs['membership']['mine']['marks'][number];
export type Entitlements = RouterOutputs['membership']['mine']['entitlements'];
export type MarkRow = RouterOutputs['admin']['marks']['list'][number];
/** A plan row as the admin and vendor lists return it (admin rows also name the tenant). */
export type PlanRow = RouterOutputs['vendor']['plans']['list'][number] & { tenantName?: string };
export type VendorRow = RouterOutputs['admin']['vendors']['list'][number];
export type MyVendor = RouterOutputs['vendor']['mine'][number];
export type AuditEvent = RouterOutputs['admin']['audit']['list']['events'][number];
export type SubscriberRow = RouterOutputs['vendor']['subscribers']['list'][number];
export type TenantRole = MyVendor['role'];
export type UsageSummary = RouterOutputs['usage']['summary'];
export type DailyUsage = RouterOutputs['usage']['daily'][number];
export type LedgerEntry = RouterOutputs['usage']['ledger']['entries'][number];
export type LedgerPage = RouterOutputs['usage']['ledger'];
export type CreditAccount = RouterOutputs['admin']['credits']['account'];
export type RefillRun = RouterOutputs['admin']['credits']['refillRuns'][number];
export type RefillPreview = RouterOutputs['admin']['credits']['previewRefill'];
export type RefillPolicy = NonNullable<Entitlements['refill']>;
export type ChatModel = RouterOutputs['chat']['models'][number];
export type ConversationRow = RouterOutputs['chat']['conversations']['list'][number];
export type StoredMessage = RouterOutputs['chat']['conversations']['messages'][number];
export type ChatStreamInput = inferRouterInputs<AppRouter>['chat']['stream'];
/** What `chat.stream` yields: `tracked()` envelopes `{ id, data }` around a ChatEvent. */
type ChatStreamEnvelope =
  RouterOutputs['chat']['stream'] extends AsyncIterable<infer T> ? T : never;
/** One event of an answer: admitted, delta, refused, cut_off, done or replay. */
export type ChatEvent = ChatStreamEnvelope['data'];
/** Why an answer was refused or cut off: a domain code, details and what would unlock it. */
export type StopReason = Extract<ChatEvent, { type: 'refused' }>['reason'];

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
        // An image upload (megabytes) goes alone: the server allows its size for that path only.
        false: splitLink({
          condition: (op) => op.path === 'chat.images.upload',
          true: httpLink({
            url: TRPC_URL,
            fetch: (url, options) => fetch(url, { ...options, credentials: 'include' }),
          }),
          false: httpBatchLink({
            url: TRPC_URL,
            fetch: (url, options) => fetch(url, { ...options, credentials: 'include' }),
          }),
        }),
      }),
    ],
  });
}
export type RedeemResult = RouterOutputs['codes']['redeem'];
export type CodeBatchRow = RouterOutputs['admin']['codes']['batches'][number];
export type GeneratedBatch = RouterOutputs['admin']['codes']['generate'];
