// The delivery half of the mail queue, driven by the server's sender loop. Each due mail is first
// claimed with one guarded UPDATE (its next attempt moved a lease ahead: the ops store's
// `claimDueMail`, on PostgreSQL with `for update skip locked`, decision 035), so two processes
// never send it twice; then the transport is called outside any transaction; then the outcome is
// written: sent (or logged), retried later with exponential backoff, or failed for good after
// `maxAttempts`, with the last error kept for the admin outbox.
import type { MailOutboxRow } from '@tessera/db';
import type { OpsStore } from '../storage/ops-store.ts';

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

/** A mail its sender has claimed: the row after the claim (attempts already counted). */
export type ClaimedMail = MailOutboxRow;

/** The outbox as the sender loop needs it (the ops store's mail methods, on either engine). */
export type MailQueue = Pick<OpsStore, 'claimDueMail' | 'markMailDelivered' | 'markMailFailed'>;

/**
 * Delivers the mails that are due now, oldest first, at most `batch` of them. Each is claimed
 * right before its send, so a slow SMTP server cannot make the rest of the batch outlive its lease.
 */
export async function deliverDueMail(
  queue: MailQueue,
  transport: MailTransport,
  options: { now: () => Date; policy?: DeliveryPolicy; batch?: number },
): Promise<DeliveryResult> {
  const policy = options.policy ?? DEFAULT_DELIVERY_POLICY;
  const result: DeliveryResult = { sent: 0, retried: 0, failed: 0 };
  const batch = options.batch ?? 20;
  for (let i = 0; i < batch; i++) {
    const claimed = await queue.claimDueMail({ now: options.now(), leaseMs: policy.leaseMs });
    if (!claimed) break; // nothing due (or every due mail is another sender's)
    try {
      await transport.send({
        to: claimed.to,
        subject: claimed.subject,
        text: claimed.text,
        html: claimed.html,
        locale: claimed.locale,
      });
      await queue.markMailDelivered({
        id: claimed.id,
        status: transport.kind === 'smtp' ? 'sent' : 'logged',
        now: options.now(),
      });
      result.sent++;
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(
        0,
        MAX_ERROR_LENGTH,
      );
      const gaveUp = claimed.attempts >= policy.maxAttempts;
      await queue.markMailFailed({
        id: claimed.id,
        gaveUp,
        lastError: message,
        nextAttemptAt: new Date(options.now().getTime() + retryDelayMs(policy, claimed.attempts)),
      });
      if (gaveUp) result.failed++;
      else result.retried++;
    }
  }
  return result;
}
