// The storage port of the chats area (docs/decisions/028, 034): conversations and their messages,
// images, what the chat engine reads and stores for an answer (model rows, providers, the thread,
// the prompt, the recorded answer) and the member's usage reads. The money path (admission,
// settlement) is the money store's. One async method per whole transaction or read; rows and
// results are plain values of the domain's types, the same on every engine. Refusals are values
// (`null`, `false`); their wording is the shared domain code's.
import type { MessageStatus } from '@tessera/db';
import type { ActiveModel, ModelRow, ProviderRow } from '../chat/model-row.ts';
import type { ConversationSummary, ThreadMessage } from '../domain/chat/conversations.ts';
import type { ImageForPrompt, PendingUpload } from '../domain/chat/image-attachments.ts';
import type { ConversationMatch } from '../domain/chat/search-conversations.ts';
import type { ThreadRow } from '../domain/chat/thread.ts';
import type { Entitlements } from '../domain/entitlements/entitlements.ts';
import type { RequestWindow } from '../domain/usage/get-request-window.ts';
import type { DailyUsage, UsageSummary } from '../domain/usage/get-usage-summary.ts';

/** A stored answer found by its request key (a reconnect after it was stored gets it replayed). */
export interface StoredAnswer {
  content: string;
  status: MessageStatus | null;
  conversationId: string;
}

/** The user's message of an admitted SPA request, stored with whatever the turn needs. */
export interface StorePromptInput {
  userId: string;
  /** Absent: a new conversation is created, titled after `content`. */
  conversationId?: string;
  modelId: string;
  content: string;
  turn: { kind: 'send' } | { kind: 'regenerate' | 'edit'; promptId: string };
  assistantId?: string;
  plugin?: { id: string; options?: Record<string, string> };
  /** Pending uploads the prompt claims, in order. */
  claimImages: readonly string[];
  /** An edited prompt whose images the new prompt takes over. */
  carryImagesFrom?: string;
  now: Date;
}

export interface RecordAnswerInput {
  conversationId: string;
  requestId: string;
  modelId: string;
  content: string;
  status: MessageStatus;
  endReason: Record<string, unknown> | null;
  inputTokens: number;
  outputTokens: number;
  credits: number;
  /** The prompt this answers; a new answer becomes the one shown. */
  replyTo?: string;
  now: Date;
}

export interface UsageInput {
  userId: string;
  entitlements: Entitlements;
  now: Date;
  timeZone: string;
}

export interface ChatStore {
  // ── The member's conversations (chat.conversations.*) ──
  listConversations(userId: string, limit?: number): Promise<ConversationSummary[]>;
  /** Case-insensitive substring search over titles and messages (search-conversations.ts). */
  searchConversations(input: {
    userId: string;
    query: string;
    limit?: number;
  }): Promise<ConversationMatch[]>;
  /** The live thread; null when the conversation is not the member's. */
  threadMessages(input: {
    userId: string;
    conversationId: string;
  }): Promise<ThreadMessage[] | null>;
  /** false when the conversation is not the member's (nothing written). */
  renameConversation(input: {
    userId: string;
    conversationId: string;
    title: string;
  }): Promise<boolean>;
  deleteConversation(input: { userId: string; conversationId: string }): Promise<boolean>;
  /** Flips a prompt's shown answer; false when the answer is not a live one of the member's. */
  showAnswer(input: { userId: string; conversationId: string; answerId: string }): Promise<boolean>;

  // ── Images (decision 026) ──
  /** Drops the member's stale pending uploads, then stores this one unless too many are pending. */
  storeUpload(upload: PendingUpload): Promise<boolean>;
  /** Removes a pending upload of the member's; false when there is none by that id. */
  discardUpload(userId: string, id: string): Promise<boolean>;
  /** One of the member's images (sent or pending). */
  imageOf(userId: string, id: string): Promise<{ mediaType: string; data: Buffer } | undefined>;
  /** The member's pending uploads among `ids` (missing ones are simply absent). */
  pendingUploads(
    userId: string,
    ids: readonly string[],
  ): Promise<{ id: string; mediaType: string; data: Buffer }[]>;
  /** The images stored with these messages, as data URLs, by message id (in their order). */
  imagesOfMessages(messageIds: readonly string[]): Promise<Map<string, ImageForPrompt[]>>;

  // ── The chat engine ──
  /** The model row an answer is routed by (every answer: kept prepared). */
  modelById(id: string): Promise<ModelRow | undefined>;
  /** Active models that accept images, cheapest first. */
  visionModelIds(): Promise<string[]>;
  /** Active models, cheapest first (the chat page's picker). */
  activeModels(): Promise<ActiveModel[]>;
  /** Active models by id with their creation time in ms (GET /v1/models). */
  apiModels(): Promise<{ id: string; createdAt: number }[]>;
  providerById(id: string): Promise<ProviderRow | undefined>;
  /** The stored answer to `requestId` in one of `userId`'s conversations. */
  findAnswer(requestId: string, userId: string): Promise<StoredAnswer | undefined>;
  ownsConversation(userId: string, conversationId: string): Promise<boolean>;
  /** The conversation's live (not superseded) messages in the order written. */
  liveThread(conversationId: string): Promise<ThreadRow[]>;
  /**
   * One transaction: the conversation (created when absent; NOT_FOUND thrown when not the
   * member's), an edit's supersession, the new prompt and its images. Returns where the answer goes.
   */
  storePrompt(input: StorePromptInput): Promise<{ conversationId: string; promptId?: string }>;
  /** Stores the answer once per request id; nothing when its conversation was deleted meanwhile. */
  recordAnswer(input: RecordAnswerInput): Promise<void>;

  // ── Usage reads (usage.summary, usage.daily, /v1 rate-limit headers) ──
  usageSummary(input: UsageInput): Promise<UsageSummary>;
  dailyUsage(input: {
    userId: string;
    days: number;
    now: Date;
    timeZone: string;
  }): Promise<DailyUsage>;
  requestWindow(input: UsageInput): Promise<RequestWindow | null>;
  /** The member's own caps (usage.setCaps); VALIDATION when the daily one is above the plan's. */
  setPersonalCaps(input: {
    userId: string;
    entitlements: Entitlements;
    dailyRequestCap: number | null;
    monthlyCreditCap: number | null;
    now: Date;
  }): Promise<{ dailyRequestCap: number | null; monthlyCreditCap: number | null }>;
}
