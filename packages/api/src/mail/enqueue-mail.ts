// Puts a mail into the durable outbox. Call it inside the transaction of the change that causes
// the mail: if that change rolls back, no mail goes out; if it commits, the mail is sent (or, with
// no SMTP configured, logged) by the sender loop — never during the request.
import type { DbOrTx } from '@tessera/db';
import { mailOutbox } from '@tessera/db';
import { randomId } from '../lib/ids.ts';
import { type MailLocale, type MailParams, type MailTemplate, renderMail } from './templates.ts';

export function enqueueMail<T extends MailTemplate>(
  db: DbOrTx,
  input: { to: string; locale: MailLocale; template: T; params: MailParams[T]; now: Date },
): { id: string } {
  const rendered = renderMail(input.template, input.locale, input.params);
  const id = randomId();
  db.insert(mailOutbox)
    .values({
      id,
      to: input.to,
      locale: input.locale,
      template: input.template,
      ...rendered,
      status: 'queued',
      attempts: 0,
      nextAttemptAt: input.now,
      createdAt: input.now,
    })
    .run();
  return { id };
}
