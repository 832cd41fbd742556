import type { DbOrTx } from '@tessera/db';
import { mailOutbox } from '@tessera/db';
import { desc } from 'drizzle-orm';

/** One mail of the admin outbox, with its text body. */
export interface OutboxEntry {
  id: string;
  to: string;
  locale: string;
  template: string;
  subject: string;
  text: string;
  status: 'queued' | 'sent' | 'failed' | 'logged';
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** The newest mails first (the admin console's outbox), with their text bodies. */
export function listOutbox(db: DbOrTx, input: { limit: number }): OutboxEntry[] {
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
    .limit(input.limit)
    .all();
}
