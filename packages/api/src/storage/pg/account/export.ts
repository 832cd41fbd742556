// "Download my data" on PostgreSQL (decision 025): the columns of domain/users/export-user-data.ts,
// keyed by the caller's own user id, read in one REPEATABLE READ snapshot so the parts agree with
// each other as they do in SQLite's single read; the document is assembled by the shared code.
import {
  apiKeys,
  conversations,
  creditAccounts,
  creditLedger,
  marks,
  memberships,
  messages,
  notificationPreferences,
  notifications,
  type PgDb,
  sessions,
  users,
} from '@tessera/db/pg';
import { asc, desc, eq, inArray } from 'drizzle-orm';
import { DEFAULT_NOTIFICATION_SETTINGS } from '../../../domain/notifications/preferences.ts';
import { assembleUserExport } from '../../../domain/users/export-user-data.ts';
import { DomainError } from '../../../errors.ts';
import type { AccountStore } from '../../account-store.ts';

export function pgExport(db: PgDb): Pick<AccountStore, 'exportUserData'> {
  return {
    exportUserData(input) {
      const { userId, now } = input;
      // One REPEATABLE READ snapshot: the parts agree with each other, as in one SQLite read.
      return db.transaction(
        async (tx) => {
          const [account] = await tx
            .select({
              id: users.id,
              email: users.email,
              displayName: users.displayName,
              locale: users.locale,
              createdAt: users.createdAt,
              emailVerifiedAt: users.emailVerifiedAt,
            })
            .from(users)
            .where(eq(users.id, userId));
          if (!account) throw new DomainError('NOT_FOUND', 'No such account.');
          const [credits] = await tx
            .select({
              balance: creditAccounts.balance,
              purchased: creditAccounts.purchased,
              reserved: creditAccounts.reserved,
            })
            .from(creditAccounts)
            .where(eq(creditAccounts.userId, userId));
          const ledger = await tx
            .select({
              id: creditLedger.id,
              delta: creditLedger.delta,
              balanceAfter: creditLedger.balanceAfter,
              kind: creditLedger.kind,
              pot: creditLedger.pot,
              reference: creditLedger.reference,
              createdAt: creditLedger.createdAt,
            })
            .from(creditLedger)
            .where(eq(creditLedger.userId, userId))
            .orderBy(asc(creditLedger.id));
          const chats = await tx
            .select({
              id: conversations.id,
              title: conversations.title,
              modelId: conversations.modelId,
              createdAt: conversations.createdAt,
              updatedAt: conversations.updatedAt,
            })
            .from(conversations)
            .where(eq(conversations.userId, userId))
            .orderBy(asc(conversations.createdAt));
          const allMessages =
            chats.length === 0
              ? []
              : await tx
                  .select({
                    id: messages.id,
                    conversationId: messages.conversationId,
                    role: messages.role,
                    content: messages.content,
                    modelId: messages.modelId,
                    status: messages.status,
                    inputTokens: messages.inputTokens,
                    outputTokens: messages.outputTokens,
                    credits: messages.credits,
                    replyTo: messages.replyTo,
                    supersededAt: messages.supersededAt,
                    createdAt: messages.createdAt,
                  })
                  .from(messages)
                  .where(
                    inArray(
                      messages.conversationId,
                      chats.map((c) => c.id),
                    ),
                  )
                  .orderBy(asc(messages.createdAt));
          const held = await tx
            .select({
              id: memberships.id,
              markId: marks.id,
              markKey: marks.key,
              markName: marks.name,
              startsAt: memberships.startsAt,
              expiresAt: memberships.expiresAt,
              status: memberships.status,
              source: memberships.source,
              reference: memberships.reference,
            })
            .from(memberships)
            .innerJoin(marks, eq(marks.id, memberships.markId))
            .where(eq(memberships.userId, userId))
            .orderBy(desc(memberships.updatedAt));
          const [settings] = await tx
            .select({
              creditsLow: notificationPreferences.creditsLow,
              creditsLowThreshold: notificationPreferences.creditsLowThreshold,
              membershipEnding: notificationPreferences.membershipEnding,
              trialEnding: notificationPreferences.trialEnding,
              paymentFailed: notificationPreferences.paymentFailed,
            })
            .from(notificationPreferences)
            .where(eq(notificationPreferences.userId, userId));
          return assembleUserExport({
            now,
            account,
            memberships: held.map((m) => ({
              ...m,
              activeNow: m.expiresAt === null || m.expiresAt > now,
            })),
            credits,
            ledger,
            chats,
            messages: allMessages,
            apiKeys: await tx
              .select({
                id: apiKeys.id,
                name: apiKeys.name,
                createdAt: apiKeys.createdAt,
                lastUsedAt: apiKeys.lastUsedAt,
                revokedAt: apiKeys.revokedAt,
              })
              .from(apiKeys)
              .where(eq(apiKeys.userId, userId))
              .orderBy(asc(apiKeys.createdAt)),
            sessions: await tx
              .select({
                id: sessions.id,
                createdAt: sessions.createdAt,
                lastSeenAt: sessions.lastSeenAt,
                userAgent: sessions.userAgent,
                ip: sessions.ip,
              })
              .from(sessions)
              .where(eq(sessions.userId, userId))
              .orderBy(asc(sessions.createdAt)),
            notificationSettings: settings ?? { ...DEFAULT_NOTIFICATION_SETTINGS },
            notifications: await tx
              .select({
                kind: notifications.kind,
                data: notifications.data,
                createdAt: notifications.createdAt,
              })
              .from(notifications)
              .where(eq(notifications.userId, userId))
              .orderBy(asc(notifications.createdAt)),
          });
        },
        { isolationLevel: 'repeatable read', accessMode: 'read only' },
      );
    },
  };
}
