import { useCallback } from 'react';
import { isUnauthenticated } from '../lib/errors.ts';
import { trpc } from '../lib/trpc.ts';

/**
 * Mounted once in the signed-in shell: listens to `membership.events` (SSE) and refetches what a
 * grant, revoke, trial or expiry changes, so every page shows it without a reload. The stream's
 * first message (`connected`, also after a reconnect) triggers a refetch as well, which covers
 * changes made while the connection was down.
 */
export function MemberEventsListener() {
  const utils = trpc.useUtils();
  const refresh = useCallback(() => {
    void utils.membership.mine.invalidate();
    void utils.membership.catalog.invalidate();
  }, [utils]);
  trpc.membership.events.useSubscription(undefined, {
    onData: refresh,
    onError: (error) => {
      if (isUnauthenticated(error)) utils.auth.me.setData(undefined, null);
    },
  });
  return null;
}
