import { useQueryClient } from '@tanstack/react-query';
import { getQueryKey } from '@trpc/react-query';
import { createContext, useCallback, useContext } from 'react';
import { useNavigate } from 'react-router';
import { SIGN_IN_PATH } from '../paths.ts';
import { type Me, trpc } from './trpc.ts';

const ME_STALE_MS = 30_000;

/** `auth.me`: null for visitors, the member otherwise. */
export function useMeQuery() {
  return trpc.auth.me.useQuery(undefined, { staleTime: ME_STALE_MS });
}

export const MeContext = createContext<Me | null>(null);

/** The signed-in member; only inside <RequireAuth>, which guarantees there is one. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe() must be used inside <RequireAuth>');
  return me;
}

/** After sign-in/up: remember who we are now and refetch anything cached for the visitor. */
export function useSignedIn() {
  const utils = trpc.useUtils();
  return useCallback(
    async (me: Me) => {
      utils.auth.me.setData(undefined, me);
      await utils.auth.me.invalidate();
    },
    [utils],
  );
}

/** After sign-out: forget every cached answer of this member and show the sign-in page. */
export function useSignedOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(() => {
    queryClient.removeQueries();
    queryClient.setQueryData(getQueryKey(trpc.auth.me, undefined, 'query'), null);
    navigate(SIGN_IN_PATH, { replace: true });
  }, [queryClient, navigate]);
}
