import { useInfiniteQuery } from '@tanstack/react-query';
import { getQueryKey } from '@trpc/react-query';
import { trpc } from './trpc.ts';

export const LEDGER_PAGE_SIZE = 20;

/**
 * The ledger pages are one infinite query, not a query per cursor: when a live event refetches
 * it, page 2 is fetched again from page 1's new `nextBeforeId`, so a new row at the top never
 * leaves a gap between pages. The keys sit under tRPC's (`usage.ledger`, `admin.credits.account`),
 * so `utils.usage.invalidate()` and friends refresh them too.
 */
export function useMyLedger() {
  const utils = trpc.useUtils();
  const query = useInfiniteQuery({
    queryKey: getQueryKey(trpc.usage.ledger, { limit: LEDGER_PAGE_SIZE }, 'infinite'),
    queryFn: ({ pageParam }) =>
      utils.client.usage.ledger.query({ limit: LEDGER_PAGE_SIZE, beforeId: pageParam }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextBeforeId ?? undefined,
  });
  return { query, entries: query.data?.pages.flatMap((page) => page.entries) ?? [] };
}

/** One user's credit account for admins: balance (from the newest page) and ledger pages. */
export function useCreditAccount(userId: string) {
  const utils = trpc.useUtils();
  const query = useInfiniteQuery({
    queryKey: getQueryKey(trpc.admin.credits.account, { userId }, 'infinite'),
    queryFn: ({ pageParam }) =>
      utils.client.admin.credits.account.query({ userId, beforeId: pageParam }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextBeforeId ?? undefined,
  });
  return {
    query,
    credits: query.data?.pages[0]?.credits ?? null,
    entries: query.data?.pages.flatMap((page) => page.entries) ?? [],
  };
}
