// The mail outbox on PostgreSQL (decisions 021, 035). A claim is one statement: the oldest due row
// is picked `for update skip locked` and moved a lease ahead in the same UPDATE, so two instances
// claiming at once take different mails (neither waits on the other's row) and a row is never
// claimed twice: the guard (`queued`, due) is re-checked on the locked row's latest version.
import { mailOutbox, type PgDb } from '@tessera/db/pg';
import { and, asc, desc, eq, lte, sql } from 'drizzle-orm';
import type { OutboxEntry } from '../../../domain/mail/list-outbox.ts';
import type { ClaimedMail } from '../../../mail/deliver-mail.ts';
import type { OpsStore } from '../../ops-store.ts';

type MailMethods = Pick<
  OpsStore,
  'claimDueMail' | 'markMailDelivered' | 'markMailFailed' | 'listOutbox'
>;

export function pgMailMethods(db: PgDb): MailMethods {
  return {
    async claimDueMail({ now, leaseMs }): Promise<ClaimedMail | null> {
      const due = and(eq(mailOutbox.status, 'queued'), lte(mailOutbox.nextAttemptAt, now));
      const oldestDue = db
        .select({ id: mailOutbox.id })
        .from(mailOutbox)
        .where(due)
        .orderBy(asc(mailOutbox.nextAttemptAt))
        .limit(1)
        .for('update', { skipLocked: true });
      const [claimed] = await db
        .update(mailOutbox)
        .set({
          attempts: sql`${mailOutbox.attempts} + 1`,
          nextAttemptAt: new Date(now.getTime() + leaseMs),
        })
        // `= (scalar subquery)`, run once as an InitPlan. Not `in (…)`: as a semi-join the
        // planner may rescan the subquery per candidate row, and a rescan skips the row this very
        // statement just locked and picks the next one — claiming several mails at once.
        .where(and(eq(mailOutbox.id, sql`(${oldestDue})`), due))
        .returning();
      return claimed ?? null;
    },

    async markMailDelivered({ id, status, now }) {
      await db.update(mailOutbox).set({ status, sentAt: now }).where(eq(mailOutbox.id, id));
    },

    async markMailFailed({ id, gaveUp, lastError, nextAttemptAt }) {
      await db
        .update(mailOutbox)
        .set({ status: gaveUp ? 'failed' : 'queued', lastError, nextAttemptAt })
        .where(eq(mailOutbox.id, id));
    },

    async listOutbox({ limit }): Promise<OutboxEntry[]> {
      return db
        .select({
          id: mailOutbox.id,
          to: mailOutbox.to,
          locale: mailOutbox.locale,
          template: mailOutbox.template,
          subject: mailOutbox.subject,
          text: mailOutbox.text,
          status: mailOutbox.status,
          attempts: mailOutbox.attempts,
          lastError: mailOutbox.lastError,
          createdAt: mailOutbox.createdAt,
          sentAt: mailOutbox.sentAt,
        })
        .from(mailOutbox)
        .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
        .limit(limit);
    },
  };
}
