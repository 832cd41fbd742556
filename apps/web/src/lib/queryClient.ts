import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { getQueryKey } from '@trpc/react-query';
import { isUnauthenticated, toAppError } from './errors.ts';
import { trpc } from './trpc.ts';

const MAX_RETRIES = 2;

/**
 * One QueryClient for the app. When any call says the session is gone (revoked on another
 * device, expired), `auth.me` becomes null and the route guard shows the sign-in page.
 */
export function createQueryClient(): QueryClient {
  const onError = (error: unknown) => {
    if (isUnauthenticated(error)) {
      queryClient.setQueryData(getQueryKey(trpc.auth.me, undefined, 'query'), null);
    }
    // The admin rule came into force (or 2FA was turned off elsewhere): the admin guard rereads
    // the status and sends the admin to enrol.
    if (toAppError(error).domainCode === 'TWO_FACTOR_REQUIRED') {
      void queryClient.invalidateQueries({ queryKey: getQueryKey(trpc.twoFactor.status) });
    }
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        // Retry only what a retry can fix: network failures and 5xx, never 4xx answers.
        retry: (failureCount, error) => {
          const { httpStatus, isNetworkError } = toAppError(error);
          const retriable = isNetworkError || (httpStatus !== null && httpStatus >= 500);
          return retriable && failureCount < MAX_RETRIES;
        },
      },
    },
  });
  return queryClient;
}
