import { App } from 'antd';
import { useLocale } from '../../i18n/useT.ts';
import { trpc } from '../../lib/trpc.ts';

/**
 * The three admin membership mutations (grant, extend, revoke), each refreshing the user's detail
 * and the audit log when done. Errors stay on the mutation for the form to show.
 */
export function useMembershipChange(userId: string, onDone: () => void) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const settled = () =>
    Promise.all([
      utils.admin.users.byId.invalidate({ userId }),
      utils.admin.audit.list.invalidate(),
    ]);
  const done = (text: string) => {
    void message.success(text);
    onDone();
  };
  const grant = trpc.admin.memberships.grant.useMutation({
    onSuccess: ({ markKey }) => done(t('membership.granted', { key: markKey })),
    onSettled: settled,
  });
  const extend = trpc.admin.memberships.extend.useMutation({
    onSuccess: ({ markKey }) => done(t('membership.extended', { key: markKey })),
    onSettled: settled,
  });
  const revoke = trpc.admin.memberships.revoke.useMutation({
    onSuccess: ({ markKey }) => done(t('membership.revoked', { key: markKey })),
    onSettled: settled,
  });
  return { grant, extend, revoke };
}
