// Phase 1 of an answer: turn the caller's input into everything admission needs — the plugin, the
// assistant, the model and its backend, what the member must keep qualifying for, the prompt and
// its token count — or into the one event that ends the request before anything is written
// (`refused`, or `replay` of an answer already stored under this request id).
// Nothing here writes: a refusal at this stage leaves no trace in the database.
import { noSuchConversation } from '../domain/chat/exchanges.ts';
import { contextFromThread, type Turn } from '../domain/chat/thread.ts';
import { DomainError } from '../errors.ts';
import { checkRequirement, type MemberRequirement } from '../member/check-requirement.ts';
import type { AssistantListRow } from '../storage/catalog-store.ts';
import { countPromptTokens } from './billing-policy.ts';
import { chatStoreOf, chatStoresOf } from './chat-store-of.ts';
import type { ChatDeps, ChatEvent, ChatInput } from './chat-types.ts';
import type { ModelRow } from './model-row.ts';
import { findPlugin, type Plugin } from './plugins.ts';
import {
  hasImages,
  historyWithImages,
  newPromptImages,
  notVisionCapable,
  withImages,
} from './prompt-images.ts';
import type { ChatProvider, ProviderMessage } from './providers/types.ts';
import { requestKey } from './request-key.ts';
import { unlocksOf } from './unlocks-of.ts';

/** A model that is switched on and has a backend that can serve it. */
export interface RoutedModel {
  model: ModelRow;
  provider: ChatProvider;
}

export interface ResolvedRequest {
  userId: string;
  /** What the reservation, the charge and the stored answer are keyed by (see request-key.ts). */
  key: string;
  plugin: Plugin | undefined;
  assistant: AssistantListRow | undefined;
  /** Mutable on purpose: admission may move the request to the plan's fallback model. */
  modelId: string;
  requirement: MemberRequirement;
  routed: RoutedModel;
  /** The SPA's shape (a stored conversation) rather than the API's (a prompt and nothing kept). */
  stored: boolean;
  /** The user message to answer (stored shape only): new, edited, or the stored one regenerated. */
  content: string;
  /** A plain send, a regenerate of a stored prompt, or an edit of one. */
  turn: Turn;
  /** Pending uploads the stored prompt claims; a prompt whose images an edit carries over. */
  images: { claim: string[]; carryFrom?: string };
  /** Exactly what the model is sent, and its counted size (the reservation's input side). */
  prompt: ProviderMessage[];
  inputTokens: number;
}

export type Resolution = { ok: true; request: ResolvedRequest } | { ok: false; event: ChatEvent };

const refused = (reason: Extract<ChatEvent, { type: 'refused' }>['reason']): Resolution => ({
  ok: false,
  event: { type: 'refused', reason },
});

/** The model row and its backend, if the model is on and something can serve it. */
export async function routeModel(deps: ChatDeps, id: string): Promise<RoutedModel | null> {
  const row = await chatStoreOf(deps).modelById(id);
  const backend = row?.active ? await deps.providers.forModel(row) : null;
  return row && backend ? { model: row, provider: backend } : null;
}

export async function resolveRequest(deps: ChatDeps, input: ChatInput): Promise<Resolution> {
  const { catalog } = chatStoresOf(deps);
  const chats = chatStoreOf(deps);
  const userId = input.member.user.id;
  const key = requestKey(userId, input.requestId);
  const plugin = input.plugin ? findPlugin(input.plugin.id) : undefined;
  if (input.plugin && !plugin)
    return refused({ code: 'NOT_FOUND', message: `No plugin "${input.plugin.id}".` });
  // Only requests naming an assistant read the list (the active ones; a handful per vendor).
  const assistant = input.assistantId
    ? (await catalog.listAssistants({ activeOnly: true })).find((a) => a.id === input.assistantId)
    : undefined;
  if (input.assistantId && !assistant)
    return refused({ code: 'NOT_FOUND', message: 'No such assistant.' });
  const modelId = assistant?.modelId ?? input.modelId;
  // What this request relies on: checked now, and again on every member change while it streams.
  // An assistant needs its vendor's mark (not merely its model).
  const requirement: MemberRequirement = {
    model: modelId,
    feature: plugin?.id,
    marks: assistant ? [assistant.markKey] : undefined,
    apiAccess: input.requireApiAccess,
  };
  const denial = checkRequirement(input.member, requirement);
  if (denial)
    return refused({
      ...denial,
      unlock: denial.missing ? await unlocksOf(catalog, denial.missing, userId) : [],
    });
  const stored = input.messages === undefined;
  let content = input.content ?? '';
  const turn: Turn = input.regenerate
    ? { kind: 'regenerate', promptId: input.regenerate.promptId }
    : input.edit
      ? { kind: 'edit', promptId: input.edit.promptId }
      : { kind: 'send' };
  if (turn.kind !== 'send' && !(stored && input.conversationId))
    return refused({ code: 'VALIDATION', message: `To ${turn.kind}, name the conversation.` });
  // A reconnect after the answer was stored gets it replayed, not answered again. An answer
  // stored before ids were scoped is found by its bare id (still only among this user's).
  const answered = stored
    ? ((await chats.findAnswer(key, userId)) ?? (await chats.findAnswer(input.requestId, userId)))
    : undefined;
  if (answered)
    return {
      ok: false,
      event: {
        type: 'replay',
        conversationId: answered.conversationId,
        content: answered.content,
        status: answered.status,
      },
    };
  const routed = await routeModel(deps, modelId);
  if (!routed) {
    const switchedOff = (await chats.modelById(modelId))?.active === false;
    return refused({
      code: 'MODEL_UNAVAILABLE',
      message: switchedOff
        ? `The model "${modelId}" is switched off for now. Pick another model.`
        : `The model "${modelId}" is not available.`,
      details: { model: modelId, switchedOff },
    });
  }

  // Verify the conversation (and the prompt to regenerate or edit) before admission: a foreign id
  // is NOT_FOUND with nothing written. The history is the thread as the member sees it.
  // Images (decision 026): the new prompt's, and earlier prompts' when the model can see them.
  let history: ProviderMessage[] = [];
  let images: Awaited<ReturnType<typeof newPromptImages>> = { images: [], claim: [] };
  if (stored) {
    try {
      if (input.conversationId) {
        if (!(await chats.ownsConversation(userId, input.conversationId)))
          throw noSuchConversation();
        const thread = await chats.liveThread(input.conversationId);
        const context = contextFromThread(thread, turn, content);
        content = context.content;
        history = await historyWithImages(chats, context.history, routed.model.vision);
      }
      images = await newPromptImages(chats, { userId, turn, imageIds: input.imageIds ?? [] });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return refused({ code: error.code, message: error.message, details: error.details });
    }
  }
  const conversationPrompt: ProviderMessage[] = input.messages ?? [
    ...history,
    withImages({ role: 'user', content }, images.images),
  ];
  if (!routed.model.vision && hasImages(conversationPrompt)) {
    const visionModels = await chats.visionModelIds();
    const reason = notVisionCapable(input.member, modelId, visionModels);
    // No model of the plan can see images: say which plan has one (the upgrade prompt).
    const unlock =
      reason.details.visionModels.length === 0 && visionModels[0]
        ? await unlocksOf(catalog, { kind: 'model', model: visionModels[0] }, userId)
        : [];
    return refused({ ...reason, unlock });
  }
  const withAssistant: ProviderMessage[] = assistant
    ? [{ role: 'system', content: assistant.systemPrompt }, ...conversationPrompt]
    : conversationPrompt;
  const prompt = plugin ? plugin.prompt(withAssistant, input.plugin?.options ?? {}) : withAssistant;
  const inputTokens = countPromptTokens(prompt, input.upstream?.tools);
  return {
    ok: true,
    request: {
      userId,
      key,
      plugin,
      assistant,
      modelId,
      requirement,
      routed,
      stored,
      content,
      turn,
      images: { claim: images.claim, carryFrom: images.carryFrom },
      prompt,
      inputTokens,
    },
  };
}
