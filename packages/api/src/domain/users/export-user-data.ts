// "Download my data" (decision 025): everything the service keeps about the signed-in user, as one
// JSON document. Every query is keyed by the caller's own user id (taken from the session, never
// from input), and columns are listed one by one, so no secret — password hash, API key hashes,
// session secrets — and no other user's row can end up in it.
import type {
  ApiKey,
  Conversation,
  CreditAccount,
  DbOrTx,
  LedgerEntry,
  Message,
  Notification,
  Session,
  User,
} from '@tessera/db';
import {
  apiKeys,
  conversations,
  creditAccounts,
  creditLedger,
  messages,
  notifications,
  sessions,
  users,
} from '@tessera/db';
import { asc, eq, inArray } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { listUserMemberships } from '../memberships/list-user-memberships.ts';
import {
  getNotificationSettings,
  type NotificationSettings,
} from '../notifications/preferences.ts';

export const EXPORT_FORMAT = 'tessera.user-export.v1';

export function exportUserData(db: DbOrTx, input: { userId: string; now: Date }) {
  const { userId } = input;
  const account = db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      locale: users.locale,
      createdAt: users.createdAt,
      emailVerifiedAt: users.emailVerifiedAt,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!account) throw new DomainError('NOT_FOUND', 'No such account.');
  const credits = db
    .select({
      balance: creditAccounts.balance,
      purchased: creditAccounts.purchased,
      reserved: creditAccounts.reserved,
    })
    .from(creditAccounts)
    .where(eq(creditAccounts.userId, userId))
    .get();
  const ledger = db
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
    .orderBy(asc(creditLedger.id))
    .all();
  const chats = db
    .select({
      id: conversations.id,
      title: conversations.title,
      modelId: conversations.modelId,
      createdAt: conversations.createdAt,
      updatedAt: conversations.updatedAt,
    })
    .from(conversations)
    .where(eq(conversations.userId, userId))
    .orderBy(asc(conversations.createdAt))
    .all();
  const allMessages =
    chats.length === 0
      ? []
      : db
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
          .orderBy(asc(messages.createdAt))
          .all();
  return assembleUserExport({
    now: input.now,
    account,
    memberships: listUserMemberships(db, { userId, now: input.now }),
    credits,
    ledger,
    chats,
    messages: allMessages,
    // Names and dates only: a key's secret is shown once at creation and never stored.
    apiKeys: db
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        createdAt: apiKeys.createdAt,
        lastUsedAt: apiKeys.lastUsedAt,
        revokedAt: apiKeys.revokedAt,
      })
      .from(apiKeys)
      .where(eq(apiKeys.userId, userId))
      .all(),
    sessions: db
      .select({
        id: sessions.id,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
        userAgent: sessions.userAgent,
        ip: sessions.ip,
      })
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .all(),
    notificationSettings: getNotificationSettings(db, userId),
    notifications: db
      .select({
        kind: notifications.kind,
        data: notifications.data,
        createdAt: notifications.createdAt,
      })
      .from(notifications)
      .where(eq(notifications.userId, userId))
      .all(),
  });
}

/** What an engine's adapter reads for the export, row types shared by both engines. */
export interface UserExportParts {
  now: Date;
  account: Pick<User, 'id' | 'email' | 'displayName' | 'locale' | 'createdAt' | 'emailVerifiedAt'>;
  memberships: ReturnType<typeof listUserMemberships>;
  credits: Pick<CreditAccount, 'balance' | 'purchased' | 'reserved'> | undefined;
  ledger: Pick<
    LedgerEntry,
    'id' | 'delta' | 'balanceAfter' | 'kind' | 'pot' | 'reference' | 'createdAt'
  >[];
  chats: Pick<Conversation, 'id' | 'title' | 'modelId' | 'createdAt' | 'updatedAt'>[];
  messages: Pick<
    Message,
    | 'id'
    | 'conversationId'
    | 'role'
    | 'content'
    | 'modelId'
    | 'status'
    | 'inputTokens'
    | 'outputTokens'
    | 'credits'
    | 'replyTo'
    | 'supersededAt'
    | 'createdAt'
  >[];
  apiKeys: Pick<ApiKey, 'id' | 'name' | 'createdAt' | 'lastUsedAt' | 'revokedAt'>[];
  sessions: Pick<Session, 'id' | 'createdAt' | 'lastSeenAt' | 'userAgent' | 'ip'>[];
  notificationSettings: NotificationSettings;
  notifications: Pick<Notification, 'kind' | 'data' | 'createdAt'>[];
}

/** The document from its parts (each read by an engine's adapter): messages under their chats. */
export function assembleUserExport(parts: UserExportParts) {
  type ExportedMessage = UserExportParts['messages'][number];
  const byConversation = new Map<string, ExportedMessage[]>();
  for (const message of parts.messages) {
    const list = byConversation.get(message.conversationId) ?? [];
    list.push(message);
    byConversation.set(message.conversationId, list);
  }
  return {
    format: EXPORT_FORMAT,
    exportedAt: parts.now,
    account: parts.account,
    memberships: parts.memberships,
    credits: parts.credits ?? { balance: 0, purchased: 0, reserved: 0 },
    ledger: parts.ledger,
    conversations: parts.chats.map((c) => ({
      ...c,
      messages: (byConversation.get(c.id) ?? []).map(({ conversationId: _c, ...m }) => m),
    })),
    apiKeys: parts.apiKeys,
    sessions: parts.sessions,
    notificationSettings: parts.notificationSettings,
    notifications: parts.notifications,
  };
}
export type UserExport = ReturnType<typeof assembleUserExport>;
