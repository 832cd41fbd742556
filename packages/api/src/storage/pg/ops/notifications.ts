// Notifications on PostgreSQL (decision 025): preferences, the user's list, the "credits low"
// notice after a settlement and the scheduler's "ends in 3 days" sweep. Deciding what to send is
// the shared domain code (creditsLowCrossing, endingNotice, notify's rules in notifyPg); the
// occurrence key's `on conflict do nothing` keeps it to one mail whatever races.
import { creditLedger, notificationPreferences, notifications, type PgDb } from '@tessera/db/pg';
import { and, desc, eq, gt, max } from 'drizzle-orm';
import {
  creditsLowCrossing,
  creditsLowKey,
  creditsLowNotice,
} from '../../../domain/notifications/notice-credits-low.ts';
import { DEFAULT_NOTIFICATION_SETTINGS } from '../../../domain/notifications/preferences.ts';
import {
  ENDING_WINDOW_MS,
  type EndingRow,
  endingNotice,
} from '../../../domain/notifications/sweep-ending-memberships.ts';
import type { OpsStore } from '../../ops-store.ts';
import { notificationSettingsPg, notifyPg } from './in-transaction.ts';

type NotificationMethods = Pick<
  OpsStore,
  | 'notificationSettings'
  | 'updateNotificationSettings'
  | 'listNotifications'
  | 'noticeCreditsLow'
  | 'sweepEndingMemberships'
>;

/**
 * ENDING_MEMBERSHIPS_SQL in PostgreSQL's dialect: booleans are booleans, `||` takes the bigint
 * end as text. Parameters: now, now + window, batch size.
 */
export const ENDING_MEMBERSHIPS_PG_SQL = `select m.id as "id", m.user_id as "userId",
        m.expires_at as "expiresAt", m.source as "source", k.name as "markName", u.locale as "locale"
   from memberships m
   join marks k on k.id = m.mark_id
   join users u on u.id = m.user_id
   left join notification_preferences p on p.user_id = m.user_id
   left join stripe_subscriptions s on m.source = 'stripe' and s.id = m.reference
  where m.status = 'active' and m.expires_at is not null
    and m.expires_at > $1 and m.expires_at <= $2
    and u.disabled_at is null
    and coalesce(case when m.source = 'trial' then p.trial_ending else p.membership_ending end, true)
    and not (s.id is not null and s.ended_at is null and not s.cancel_at_period_end
             and s.status in ('active', 'trialing'))
    and not exists (
      select 1 from notifications n
       where n.key = (case when m.source = 'trial' then 'trial_ending:' else 'membership_ending:' end)
                     || m.id || ':' || m.expires_at)
  order by m.expires_at
  limit $3`;

const SETTINGS_COLUMNS = {
  creditsLow: notificationPreferences.creditsLow,
  creditsLowThreshold: notificationPreferences.creditsLowThreshold,
  membershipEnding: notificationPreferences.membershipEnding,
  trialEnding: notificationPreferences.trialEnding,
  paymentFailed: notificationPreferences.paymentFailed,
};

export function pgNotificationMethods(db: PgDb): NotificationMethods {
  return {
    notificationSettings: (userId) => notificationSettingsPg(db, userId),

    async updateNotificationSettings({ userId, patch: given, now }) {
      const patch = Object.fromEntries(
        Object.entries(given).filter(([, value]) => value !== undefined),
      );
      const [row] = await db
        .insert(notificationPreferences)
        .values({ ...DEFAULT_NOTIFICATION_SETTINGS, ...patch, userId, updatedAt: now })
        .onConflictDoUpdate({
          target: notificationPreferences.userId,
          set: { ...patch, updatedAt: now },
        })
        .returning(SETTINGS_COLUMNS);
      return row!;
    },

    async listNotifications({ userId, limit }) {
      return db
        .select({
          kind: notifications.kind,
          data: notifications.data,
          createdAt: notifications.createdAt,
        })
        .from(notifications)
        .where(eq(notifications.userId, userId))
        .orderBy(desc(notifications.createdAt))
        .limit(limit ?? 20);
    },

    async noticeCreditsLow(input) {
      const [preferences] = await db
        .select({
          wanted: notificationPreferences.creditsLow,
          threshold: notificationPreferences.creditsLowThreshold,
        })
        .from(notificationPreferences)
        .where(eq(notificationPreferences.userId, input.userId));
      const threshold = creditsLowCrossing(preferences, input);
      if (threshold === null) return 'none';
      // The position of the user's last credit (the partial index of credit rows): a top-up
      // starts a new occurrence.
      const [last] = await db
        .select({ position: max(creditLedger.id) })
        .from(creditLedger)
        .where(and(eq(creditLedger.userId, input.userId), gt(creditLedger.delta, 0)));
      const key = creditsLowKey(input.userId, Number(last?.position ?? 0));
      const [seen] = await db
        .select({ key: notifications.key })
        .from(notifications)
        .where(eq(notifications.key, key));
      if (seen) return 'none'; // told already: no transaction for nothing
      const outcome = await db.transaction((tx) =>
        notifyPg(tx, creditsLowNotice(input, threshold, key)),
      );
      return outcome === 'sent' ? 'sent' : 'none';
    },

    async sweepEndingMemberships(input) {
      const now = input.now.getTime();
      const { rows } = await db.$client.query<EndingRow>({
        name: 'tessera_ending_memberships',
        text: ENDING_MEMBERSHIPS_PG_SQL,
        values: [now, now + ENDING_WINDOW_MS, input.limit ?? 500],
      });
      let sent = 0;
      for (const row of rows) {
        const ending = { ...row, expiresAt: Number(row.expiresAt) };
        const outcome = await db.transaction((tx) => notifyPg(tx, endingNotice(ending, input)));
        if (outcome === 'sent') sent++;
      }
      return { found: rows.length, sent };
    },
  };
}
