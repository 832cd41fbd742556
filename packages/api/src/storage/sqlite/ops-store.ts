// The SQLite adapter of the ops store: today's synchronous functions behind the port.
import type { Db } from '@tessera/db';
import { mailOutbox } from '@tessera/db';
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import { listAudit } from '../../domain/audit/list-audit.ts';
import { recordAudit } from '../../domain/audit/record-audit.ts';
import { holdLease } from '../../domain/leases/hold-lease.ts';
import { releaseLease } from '../../domain/leases/release-lease.ts';
import { listOutbox } from '../../domain/mail/list-outbox.ts';
import { listNotifications } from '../../domain/notifications/list-notifications.ts';
import { noticeCreditsLow } from '../../domain/notifications/notice-credits-low.ts';
import {
  getNotificationSettings,
  updateNotificationSettings,
} from '../../domain/notifications/preferences.ts';
import { sweepEndingMemberships } from '../../domain/notifications/sweep-ending-memberships.ts';
import { createSqliteMemberEventBus, currentNotice } from '../../events/member-event-bus.ts';
import type { ClaimedMail } from '../../mail/deliver-mail.ts';
import type { OpsStore } from '../ops-store.ts';

export function createSqliteOpsStore(db: Db): OpsStore {
  return {
    memberEventBus: (options) => createSqliteMemberEventBus(db.$client, options),
    currentNotice: async () => currentNotice(db.$client),

    claimDueMail: async (input) => claimDueMail(db, input),
    async markMailDelivered({ id, status, now }) {
      db.update(mailOutbox).set({ status, sentAt: now }).where(eq(mailOutbox.id, id)).run();
    },
    async markMailFailed({ id, gaveUp, lastError, nextAttemptAt }) {
      db.update(mailOutbox)
        .set({ status: gaveUp ? 'failed' : 'queued', lastError, nextAttemptAt })
        .where(eq(mailOutbox.id, id))
        .run();
    },
    listOutbox: async (input) => listOutbox(db, input),

    notificationSettings: async (userId) => getNotificationSettings(db, userId),
    updateNotificationSettings: async (input) => updateNotificationSettings(db, input),
    listNotifications: async (input) => listNotifications(db, input),
    noticeCreditsLow: async (input) => noticeCreditsLow(db, input),
    sweepEndingMemberships: async (input) => sweepEndingMemberships(db, input),

    recordAudit: async (event) => recordAudit(db, event),
    listAudit: async (filter) => listAudit(db, filter),

    holdLease: async (input) => holdLease(db, input),
    releaseLease: async (input) => releaseLease(db, input),
  };
}

/**
 * The oldest due mail, claimed by one guarded UPDATE (attempts + 1, next attempt a lease ahead).
 * A claim lost to another sender (it moved the row's next attempt first) looks again.
 */
function claimDueMail(db: Db, input: { now: Date; leaseMs: number }): ClaimedMail | null {
  for (;;) {
    const due = db
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.status, 'queued'), lte(mailOutbox.nextAttemptAt, input.now)))
      .orderBy(asc(mailOutbox.nextAttemptAt))
      .limit(1)
      .get();
    if (!due) return null;
    const claimed = db
      .update(mailOutbox)
      .set({
        attempts: sql`${mailOutbox.attempts} + 1`,
        nextAttemptAt: new Date(input.now.getTime() + input.leaseMs),
      })
      .where(
        and(
          eq(mailOutbox.id, due.id),
          eq(mailOutbox.status, 'queued'),
          lte(mailOutbox.nextAttemptAt, input.now),
        ),
      )
      .returning()
      .get();
    if (claimed) return claimed;
  }
}
