// The storage port of the ops area (docs/decisions/028, 034, 035): the member-event outbox and its
// bus, the mail outbox, notifications, audit and leases (the scheduler's leader lock).
// One async method per whole transaction or read; rows and results are plain values of the
// domain's types, the same on every engine. Writes that belong to another area's transaction
// (a member event, a mail, an audit row, a notification) are not here: on SQLite they are the
// synchronous helpers called with that transaction, on PostgreSQL `storage/pg/ops/in-transaction.ts`.
import type { NewAuditEvent } from '@tessera/db';
import type { AuditFilter, AuditPage } from '../domain/audit/list-audit.ts';
import type { HoldLeaseInput } from '../domain/leases/hold-lease.ts';
import type { OutboxEntry } from '../domain/mail/list-outbox.ts';
import type { NotificationEntry } from '../domain/notifications/list-notifications.ts';
import type { CreditsLowInput } from '../domain/notifications/notice-credits-low.ts';
import type { NotificationSettings } from '../domain/notifications/preferences.ts';
import type {
  EndingSweepInput,
  EndingSweepResult,
} from '../domain/notifications/sweep-ending-memberships.ts';
import type {
  MemberEventBus,
  MemberEventBusOptions,
  MemberEventNotice,
} from '../events/member-event-bus.ts';
import type { ClaimedMail } from '../mail/deliver-mail.ts';

export interface OpsStore {
  // Member events (decisions 006, 029, 035).
  /** A bus tailing this database's outbox: in commit order, whichever instance wrote. */
  memberEventBus(options?: MemberEventBusOptions): MemberEventBus;
  /** The newest event id and auth epoch: what a writer announces after its commit. */
  currentNotice(): Promise<MemberEventNotice>;

  // The mail outbox (decision 021).
  /**
   * Claims the oldest mail due at `now` (attempts + 1, next attempt `leaseMs` ahead) in one guarded
   * statement, or null when none is due: two senders never claim the same row.
   */
  claimDueMail(input: { now: Date; leaseMs: number }): Promise<ClaimedMail | null>;
  /** After a send: `sent` (SMTP) or `logged` (no SMTP configured). */
  markMailDelivered(input: { id: string; status: 'sent' | 'logged'; now: Date }): Promise<void>;
  /** After a failed send: queued again for `nextAttemptAt`, or `failed` for good. */
  markMailFailed(input: {
    id: string;
    gaveUp: boolean;
    lastError: string;
    nextAttemptAt: Date;
  }): Promise<void>;
  /** Newest first (Admin → Outbox). */
  listOutbox(input: { limit: number }): Promise<OutboxEntry[]>;

  // Notifications (decision 025).
  notificationSettings(userId: string): Promise<NotificationSettings>;
  /** Writes the fields given; the others keep their value (or default). Returns the result. */
  updateNotificationSettings(input: {
    userId: string;
    patch: Partial<NotificationSettings>;
    now: Date;
  }): Promise<NotificationSettings>;
  listNotifications(input: { userId: string; limit?: number }): Promise<NotificationEntry[]>;
  /** "Your credits are running low", after a settlement (at most one mail per dip). */
  noticeCreditsLow(input: CreditsLowInput): Promise<'sent' | 'none'>;
  /** The scheduler's "ends in 3 days" sweep: one short transaction per mail. */
  sweepEndingMemberships(input: EndingSweepInput): Promise<EndingSweepResult>;

  // Audit.
  /** One audit event on its own (a change that is itself the only write). */
  recordAudit(event: Omit<NewAuditEvent, 'id'>): Promise<void>;
  /** Newest first with display labels; keyset pages by id. */
  listAudit(filter: AuditFilter): Promise<AuditPage>;

  // Leases (decision 030).
  /** True when `holder` holds `name` until `now + ttlMs` after this call (one guarded upsert). */
  holdLease(input: HoldLeaseInput): Promise<boolean>;
  /** Gives a lease up (a clean shutdown); only the holder's own row is deleted. */
  releaseLease(input: { name: string; holder: string }): Promise<boolean>;
}
