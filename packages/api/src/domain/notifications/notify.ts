// One notification occurrence → at most one mail (decision 025). The occurrence's key is inserted
// with ON CONFLICT DO NOTHING in the same transaction as the outbox row: whoever inserts it first
// enqueues the mail, every later attempt (a second sweep, another process, the condition seen
// again) finds the key and does nothing. A kind the user turned off writes nothing at all.
import type { DbOrTx, NotificationKind } from '@tessera/db';
import { notifications, users } from '@tessera/db';
import { and, eq, isNull } from 'drizzle-orm';
import { enqueueMail } from '../../mail/enqueue-mail.ts';
import { type MailParams, mailLocale } from '../../mail/templates.ts';
import { getNotificationSettings, wantsNotification } from './preferences.ts';

export type NotifyResult = 'sent' | 'already' | 'off' | 'no_user';

export function notify<K extends NotificationKind>(
  tx: DbOrTx,
  input: {
    userId: string;
    kind: K;
    key: string;
    params: MailParams[K];
    data?: Record<string, unknown>;
    now: Date;
  },
): NotifyResult {
  if (!wantsNotification(getNotificationSettings(tx, input.userId), input.kind)) return 'off';
  // Disabled and deleted accounts are told nothing.
  const user = tx
    .select({ email: users.email, locale: users.locale })
    .from(users)
    .where(and(eq(users.id, input.userId), isNull(users.disabledAt), isNull(users.deletedAt)))
    .get();
  if (!user) return 'no_user';
  const claimed = tx
    .insert(notifications)
    .values({
      key: input.key,
      userId: input.userId,
      kind: input.kind,
      data: input.data ?? null,
      createdAt: input.now,
    })
    .onConflictDoNothing()
    .returning({ key: notifications.key })
    .get();
  if (!claimed) return 'already';
  const mail = enqueueMail(tx, {
    to: user.email,
    locale: mailLocale(user.locale),
    template: input.kind,
    params: input.params,
    now: input.now,
  });
  tx.update(notifications).set({ mailId: mail.id }).where(eq(notifications.key, input.key)).run();
  return 'sent';
}
