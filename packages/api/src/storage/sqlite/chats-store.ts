// The SQLite adapter of the chats store: today's synchronous functions behind the port, unchanged
// (the engine's hot reads and the recorded answer stay on their prepared statements).
import type { Db } from '@tessera/db';
import { conversations } from '@tessera/db';
import { and, eq } from 'drizzle-orm';
import {
  activeModels,
  apiModels,
  modelById,
  providerById,
  visionModelIds,
} from '../../chat/model-row.ts';
import {
  deleteConversation,
  listConversations,
  renameConversation,
  threadMessages,
} from '../../domain/chat/conversations.ts';
import { findAnswer, recordAnswer } from '../../domain/chat/exchanges.ts';
import {
  imageDataUrlParts,
  imagesOfMessages,
  insertPendingImage,
  pendingImageRows,
  removePendingImage,
} from '../../domain/chat/image-attachments.ts';
import { searchConversations } from '../../domain/chat/search-conversations.ts';
import { storePrompt } from '../../domain/chat/store-prompt.ts';
import { flipShownAnswer, liveThread } from '../../domain/chat/thread.ts';
import { getRequestWindow } from '../../domain/usage/get-request-window.ts';
import { getDailyUsage, getUsageSummary } from '../../domain/usage/get-usage-summary.ts';
import { setPersonalCaps } from '../../domain/usage/set-personal-caps.ts';
import type { ChatStore } from '../chats-store.ts';

export function createSqliteChatStore(db: Db): ChatStore {
  return {
    listConversations: async (userId, limit) => listConversations(db, userId, limit),
    searchConversations: async (input) => searchConversations(db, input),
    threadMessages: async (input) => threadMessages(db, input),
    renameConversation: async (input) => renameConversation(db, input),
    deleteConversation: async (input) => deleteConversation(db, input),
    showAnswer: async (input) => flipShownAnswer(db, input),

    storeUpload: async (upload) => insertPendingImage(db, upload),
    discardUpload: async (userId, id) => removePendingImage(db, userId, id),
    imageOf: async (userId, id) => imageDataUrlParts(db, userId, id),
    pendingUploads: async (userId, ids) => pendingImageRows(db, userId, ids),
    imagesOfMessages: async (messageIds) => imagesOfMessages(db, messageIds),

    modelById: async (id) => modelById(db, id),
    visionModelIds: async () => visionModelIds(db),
    activeModels: async () => activeModels(db),
    apiModels: async () => apiModels(db),
    providerById: async (id) => providerById(db, id),
    findAnswer: async (requestId, userId) => findAnswer(db, requestId, userId),
    ownsConversation: async (userId, conversationId) =>
      db
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(eq(conversations.id, conversationId), eq(conversations.userId, userId)))
        .get() !== undefined,
    liveThread: async (conversationId) => liveThread(db, conversationId),
    storePrompt: async (input) => storePrompt(db, input),
    recordAnswer: async (input) => recordAnswer(db, input),

    usageSummary: async (input) => getUsageSummary(db, input),
    dailyUsage: async (input) => getDailyUsage(db, input),
    requestWindow: async (input) => getRequestWindow(db, input),
    setPersonalCaps: async (input) => setPersonalCaps(db, input),
  };
}
