// What a user wants to be told by mail (decision 025). No row = every kind on and the default
// threshold, so nothing has to be written at sign-up.
import type { DbOrTx, NotificationKind } from '@tessera/db';
import { DEFAULT_CREDITS_LOW_THRESHOLD, notificationPreferences } from '@tessera/db';
import { eq } from 'drizzle-orm';

export interface NotificationSettings {
  creditsLow: boolean;
  creditsLowThreshold: number;
  membershipEnding: boolean;
  trialEnding: boolean;
  paymentFailed: boolean;
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  creditsLow: true,
  creditsLowThreshold: DEFAULT_CREDITS_LOW_THRESHOLD,
  membershipEnding: true,
  trialEnding: true,
  paymentFailed: true,
};

const COLUMNS = {
  creditsLow: notificationPreferences.creditsLow,
  creditsLowThreshold: notificationPreferences.creditsLowThreshold,
  membershipEnding: notificationPreferences.membershipEnding,
  trialEnding: notificationPreferences.trialEnding,
  paymentFailed: notificationPreferences.paymentFailed,
};

export function getNotificationSettings(db: DbOrTx, userId: string): NotificationSettings {
  const row = db
    .select(COLUMNS)
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId))
    .get();
  return row ?? { ...DEFAULT_NOTIFICATION_SETTINGS };
}

/** Writes the fields given; the others keep their value (or default). Returns the result. */
export function updateNotificationSettings(
  db: DbOrTx,
  input: { userId: string; patch: Partial<NotificationSettings>; now: Date },
): NotificationSettings {
  const patch = Object.fromEntries(
    Object.entries(input.patch).filter(([, value]) => value !== undefined),
  ) as Partial<NotificationSettings>;
  return db
    .insert(notificationPreferences)
    .values({
      ...DEFAULT_NOTIFICATION_SETTINGS,
      ...patch,
      userId: input.userId,
      updatedAt: input.now,
    })
    .onConflictDoUpdate({
      target: notificationPreferences.userId,
      set: { ...patch, updatedAt: input.now },
    })
    .returning(COLUMNS)
    .get();
}

const SETTING_OF: Record<NotificationKind, keyof NotificationSettings> = {
  credits_low: 'creditsLow',
  membership_ending: 'membershipEnding',
  trial_ending: 'trialEnding',
  payment_failed: 'paymentFailed',
};

export function wantsNotification(settings: NotificationSettings, kind: NotificationKind): boolean {
  return settings[SETTING_OF[kind]] === true;
}
