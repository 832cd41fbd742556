import { useCallback } from 'react';
import { isUnauthenticated } from '../lib/errors.ts';
import { memberEventKind, refreshTargets } from '../lib/memberEvents.ts';
import { trpc } from '../lib/trpc.ts';

/**
 * Mounted once in the signed-in shell: listens to `membership.events` (SSE) and refetches what a
 * grant, revoke, trial, expiry or credit change affects (memberships, the plan catalog and the
 * models, plugins and assistants the chat may use; the `usage.*` quotas, balance and ledger), so
 * every page shows it without a reload. The stream's first message (`connected`, also after a
 * reconnect) refetches everything, which covers changes made while the connection was down.
 */
export function MemberEventsListener() {
  const utils = trpc.useUtils();
  const refresh = useCallback(
    (message: unknown) => {
      for (const target of refreshTargets(memberEventKind(message))) {
        if (target === 'membership') {
          void utils.membership.mine.invalidate();
          void utils.membership.catalog.invalidate();
          void utils.chat.models.invalidate();
          void utils.chat.plugins.invalidate();
          void utils.chat.assistants.invalidate();
        } else {
          void utils.usage.invalidate();
        }
      }
    },
    [utils],
  );
  trpc.membership.events.useSubscription(undefined, {
    onData: refresh,
    onError: (error) => {
      if (isUnauthenticated(error)) utils.auth.me.setData(undefined, null);
    },
  });
  return null;
}
