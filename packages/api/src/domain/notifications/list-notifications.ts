import type { DbOrTx, NotificationKind } from '@tessera/db';
import { notifications } from '@tessera/db';
import { desc, eq } from 'drizzle-orm';

export interface NotificationEntry {
  kind: NotificationKind;
  data: Record<string, unknown> | null;
  createdAt: Date;
}

/** The user's own notifications, newest first (the SPA's list in Account). */
export function listNotifications(
  db: DbOrTx,
  input: { userId: string; limit?: number },
): NotificationEntry[] {
  return db
    .select({
      kind: notifications.kind,
      data: notifications.data,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .where(eq(notifications.userId, input.userId))
    .orderBy(desc(notifications.createdAt))
    .limit(input.limit ?? 20)
    .all();
}
