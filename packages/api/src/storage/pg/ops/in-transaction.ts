// Rows other areas write inside THEIR PostgreSQL transactions (decisions 006, 021, 025): a member
// event, a mail, an audit event, a notification. The same columns as the SQLite helpers
// (events/outbox.ts, mail/enqueue-mail.ts, domain/audit/record-audit.ts,
// domain/notifications/notify.ts), so a change that rolls back writes none of them and one that
// commits cannot lose them. Pass the transaction (`tx`) of the change, or the db for a lone write.
//
// `member_events.txid` (the commit-ordered cursor of the PostgreSQL bus, decision 035) is filled by
// its column default, so writers never name it — SQL functions included.
import type { NewAuditEvent, NotificationKind } from '@tessera/db';
import {
  auditEvents,
  mailOutbox,
  memberEvents,
  notificationPreferences,
  notifications,
  type PgDbOrTx,
  plans,
  stripeSubscriptions,
  users,
} from '@tessera/db/pg';
import { and, eq, isNull } from 'drizzle-orm';
import type { NotifyResult } from '../../../domain/notifications/notify.ts';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  type NotificationSettings,
  wantsNotification,
} from '../../../domain/notifications/preferences.ts';
import { EVERY_MEMBER, type MemberEventKind } from '../../../events/outbox.ts';
import { randomId } from '../../../lib/ids.ts';
import { appLink } from '../../../mail/app-link.ts';
import {
  type MailLocale,
  type MailParams,
  type MailTemplate,
  mailLocale,
  renderMail,
} from '../../../mail/templates.ts';

/** One member event (decision 006), like `appendMemberEvent` on SQLite. */
export async function appendMemberEventPg(
  tx: PgDbOrTx,
  event: {
    userId: string;
    kind: MemberEventKind;
    markKey?: string | null;
    data?: Record<string, unknown>;
    now: Date;
  },
): Promise<void> {
  await tx.insert(memberEvents).values({
    userId: event.userId,
    kind: event.kind,
    markKey: event.markKey ?? null,
    data: event.data ?? null,
    createdAt: event.now,
  });
}

/** One event for every member at once (a mark's entitlements or a vendor's ceiling changed). */
export async function appendBroadcastEventPg(
  tx: PgDbOrTx,
  event: { kind: MemberEventKind; markKey?: string | null; now: Date },
): Promise<void> {
  await appendMemberEventPg(tx, { ...event, userId: EVERY_MEMBER });
}

/** Puts a rendered mail into the outbox (decision 021), like `enqueueMail` on SQLite. */
export async function enqueueMailPg<T extends MailTemplate>(
  tx: PgDbOrTx,
  input: { to: string; locale: MailLocale; template: T; params: MailParams[T]; now: Date },
): Promise<{ id: string }> {
  const rendered = renderMail(input.template, input.locale, input.params);
  const id = randomId();
  await tx.insert(mailOutbox).values({
    id,
    to: input.to,
    locale: input.locale,
    template: input.template,
    ...rendered,
    status: 'queued',
    attempts: 0,
    nextAttemptAt: input.now,
    createdAt: input.now,
  });
  return { id };
}

/** One audit event, in the transaction of the change it describes (like `recordAudit`). */
export async function recordAuditPg(tx: PgDbOrTx, event: Omit<NewAuditEvent, 'id'>): Promise<void> {
  await tx.insert(auditEvents).values(event);
}

const SETTINGS_COLUMNS = {
  creditsLow: notificationPreferences.creditsLow,
  creditsLowThreshold: notificationPreferences.creditsLowThreshold,
  membershipEnding: notificationPreferences.membershipEnding,
  trialEnding: notificationPreferences.trialEnding,
  paymentFailed: notificationPreferences.paymentFailed,
};

/** What the user wants to be told (no row: the defaults), like `getNotificationSettings`. */
export async function notificationSettingsPg(
  tx: PgDbOrTx,
  userId: string,
): Promise<NotificationSettings> {
  const [row] = await tx
    .select(SETTINGS_COLUMNS)
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId));
  return row ?? { ...DEFAULT_NOTIFICATION_SETTINGS };
}

/**
 * One notification occurrence → at most one mail (decision 025), like `notify` on SQLite: the
 * occurrence's key is inserted `on conflict do nothing` in the same transaction as the mail, so of
 * two racing transactions one enqueues and the other answers `already`.
 */
export async function notifyPg<K extends NotificationKind>(
  tx: PgDbOrTx,
  input: {
    userId: string;
    kind: K;
    key: string;
    params: MailParams[K];
    data?: Record<string, unknown>;
    now: Date;
  },
): Promise<NotifyResult> {
  if (!wantsNotification(await notificationSettingsPg(tx, input.userId), input.kind)) return 'off';
  // Disabled and deleted accounts are told nothing.
  const [user] = await tx
    .select({ email: users.email, locale: users.locale })
    .from(users)
    .where(and(eq(users.id, input.userId), isNull(users.disabledAt), isNull(users.deletedAt)));
  if (!user) return 'no_user';
  const [claimed] = await tx
    .insert(notifications)
    .values({
      key: input.key,
      userId: input.userId,
      kind: input.kind,
      data: input.data ?? null,
      createdAt: input.now,
    })
    .onConflictDoNothing()
    .returning({ key: notifications.key });
  if (!claimed) return 'already';
  const mail = await enqueueMailPg(tx, {
    to: user.email,
    locale: mailLocale(user.locale),
    template: input.kind,
    params: input.params,
    now: input.now,
  });
  await tx.update(notifications).set({ mailId: mail.id }).where(eq(notifications.key, input.key));
  return 'sent';
}

/**
 * "A payment failed" in the Stripe webhook's transaction, like `noticePaymentFailed`: one mail per
 * invoice however many retries fail.
 */
export async function noticePaymentFailedPg(
  tx: PgDbOrTx,
  input: { invoiceId: string; subscriptionId: string | null; baseUrl: string; now: Date },
): Promise<NotifyResult | 'unknown_subscription'> {
  if (!input.subscriptionId) return 'unknown_subscription';
  const [subscription] = await tx
    .select({ userId: stripeSubscriptions.userId, planName: plans.name })
    .from(stripeSubscriptions)
    .innerJoin(plans, eq(plans.id, stripeSubscriptions.planId))
    .where(eq(stripeSubscriptions.id, input.subscriptionId));
  if (!subscription) return 'unknown_subscription';
  return notifyPg(tx, {
    userId: subscription.userId,
    kind: 'payment_failed',
    key: `payment_failed:${input.invoiceId}`,
    params: { link: appLink(input.baseUrl, '/account'), planName: subscription.planName },
    data: { invoiceId: input.invoiceId, planName: subscription.planName },
    now: input.now,
  });
}
