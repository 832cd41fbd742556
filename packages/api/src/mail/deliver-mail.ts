// The delivery half of the mail queue, driven by the server's sender loop. Each due mail is first
// claimed with one guarded UPDATE (its next attempt moved a lease ahead), so two processes on the
// same file never send it twice; then the transport is called outside any transaction; then the
// outcome is written: sent (or logged), retried later with exponential backoff, or failed for good
// after `maxAttempts`, with the last error kept for the admin outbox.
import type { Db } from '@tessera/db';
import { mailOutbox } from '@tessera/db';
import { and, asc, eq, lte, sql } from 'drizzle-orm';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  locale: string;
}

/**
 * Where mail goes: `smtp` hands it to an SMTP server; `log` keeps it on this machine (the
 * development outbox). `send` throws when delivery failed.
 */
export interface MailTransport {
  kind: 'smtp' | 'log';
  send(mail: OutgoingMail): Promise<void>;
}

export interface DeliveryPolicy {
  /** Attempts before a mail is marked failed. */
  maxAttempts: number;
  /** Wait after the first failure; doubled after each further one, capped at an hour. */
  retryBaseMs: number;
  /** How long a claimed mail is held before another sender may try it (a crashed sender). */
  leaseMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 8,
  retryBaseMs: 30_000,
  leaseMs: 5 * 60_000,
};

const MAX_BACKOFF_MS = 60 * 60_000;
const MAX_ERROR_LENGTH = 1000;

export function retryDelayMs(policy: DeliveryPolicy, attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, policy.retryBaseMs * 2 ** Math.max(0, attempts - 1));
}

export interface DeliveryResult {
  sent: number;
  retried: number;
  failed: number;
}

/** Delivers the mails that are due now, oldest first, at most `batch` of them. */
export async function deliverDueMail(
  db: Db,
  transport: MailTransport,
  options: { now: () => Date; policy?: DeliveryPolicy; batch?: number },
): Promise<DeliveryResult> {
  const policy = options.policy ?? DEFAULT_DELIVERY_POLICY;
  const result: DeliveryResult = { sent: 0, retried: 0, failed: 0 };
  const due = db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.status, 'queued'), lte(mailOutbox.nextAttemptAt, options.now())))
    .orderBy(asc(mailOutbox.nextAttemptAt))
    .limit(options.batch ?? 20)
    .all();
  for (const { id } of due) {
    const now = options.now();
    const claimed = db
      .update(mailOutbox)
      .set({
        attempts: sql`${mailOutbox.attempts} + 1`,
        nextAttemptAt: new Date(now.getTime() + policy.leaseMs),
      })
      .where(
        and(
          eq(mailOutbox.id, id),
          eq(mailOutbox.status, 'queued'),
          lte(mailOutbox.nextAttemptAt, now),
        ),
      )
      .returning()
      .get();
    if (!claimed) continue; // another sender took it
    try {
      await transport.send({
        to: claimed.to,
        subject: claimed.subject,
        text: claimed.text,
        html: claimed.html,
        locale: claimed.locale,
      });
      db.update(mailOutbox)
        .set({ status: transport.kind === 'smtp' ? 'sent' : 'logged', sentAt: options.now() })
        .where(eq(mailOutbox.id, id))
        .run();
      result.sent++;
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(
        0,
        MAX_ERROR_LENGTH,
      );
      const gaveUp = claimed.attempts >= policy.maxAttempts;
      db.update(mailOutbox)
        .set({
          status: gaveUp ? 'failed' : 'queued',
          lastError: message,
          nextAttemptAt: new Date(options.now().getTime() + retryDelayMs(policy, claimed.attempts)),
        })
        .where(eq(mailOutbox.id, id))
        .run();
      if (gaveUp) result.failed++;
      else result.retried++;
    }
  }
  return result;
}
