// Phase 2 of an answer: admission — one transaction (through the money store) counts the request against the
// member's quota and reserves credits for its worst case (domain/usage/admit-request.ts). When
// the paid allowance runs out, a mark may name a fallback model: the request is admitted on it
// instead, and the member is told (a `notice`). Then, for the SPA's shape, the user's message is
// stored — only now, so a refused request leaves nothing behind.
import type { Admission } from '../domain/usage/admit-request.ts';
import { chatStoreOf, chatStoresOf, moneyStoreOf } from './chat-store-of.ts';
import type { ChatDeps, ChatEvent, ChatInput } from './chat-types.ts';
import { hasImages } from './prompt-images.ts';
import { type ResolvedRequest, routeModel } from './resolve-request.ts';
import { unlocksOf } from './unlocks-of.ts';

export type Admitted = Extract<Admission, { ok: true }>;

export type AdmissionResult =
  | { ok: true; admission: Admitted; notice?: Extract<ChatEvent, { type: 'notice' }> }
  | { ok: false; event: ChatEvent; notice?: Extract<ChatEvent, { type: 'notice' }> };

/**
 * Admits the request, possibly on the plan's fallback model; on a fallback, `request.modelId`,
 * `request.requirement.model` and `request.routed` are moved to it (the watcher checks the model
 * actually answering).
 */
export async function admitChat(
  deps: ChatDeps,
  input: ChatInput,
  request: ResolvedRequest,
): Promise<AdmissionResult> {
  const money = moneyStoreOf(deps);
  // The operator's option (decision 022): before anything is counted, reserved or stored.
  if (
    deps.requireVerifiedEmail &&
    !(await chatStoresOf(deps).account.isEmailVerified(request.userId))
  ) {
    return {
      ok: false,
      event: {
        type: 'refused',
        reason: {
          code: 'EMAIL_NOT_VERIFIED',
          message: 'Confirm your email address to chat: open the link we mailed you.',
        },
      },
    };
  }
  const admit = (modelId: string) =>
    money.admit({
      userId: request.userId,
      requestId: request.key,
      modelId,
      entitlements: input.member.entitlements,
      refills: input.member.refills,
      inputTokens: request.inputTokens,
      requestedOutputTokens: input.maxOutputTokens,
      now: deps.now(),
      timeZone: deps.timeZone,
      lease: deps.reservationLease,
    });
  let admission = await admit(request.modelId);
  let notice: Extract<ChatEvent, { type: 'notice' }> | undefined;
  const fallback = input.member.entitlements.fallbackModel;
  if (
    !admission.ok &&
    admission.code === 'INSUFFICIENT_CREDITS' &&
    !request.assistant && // an assistant's model is its product: never swapped
    fallback &&
    fallback !== request.modelId &&
    input.member.entitlements.models.includes(fallback)
  ) {
    // A prompt with images falls back only to a model that can see them.
    const candidate = await routeModel(deps, fallback);
    const routed = candidate?.model.vision || !hasImages(request.prompt) ? candidate : null;
    const retried = routed ? await admit(fallback) : admission;
    if (routed && retried.ok) {
      notice = {
        type: 'notice',
        code: 'FALLBACK_MODEL',
        from: request.modelId,
        to: fallback,
        reason: admission.message,
      };
      request.modelId = fallback;
      request.requirement.model = fallback;
      request.routed = routed;
      admission = retried;
    }
  }
  if (!admission.ok) {
    const { window, limit } = admission.details as {
      window?: 'day' | 'month';
      limit?: number | null;
    };
    // A quota refusal says which plan would lift the limit.
    const unlock =
      admission.code === 'QUOTA_EXCEEDED' && window
        ? await unlocksOf(
            chatStoresOf(deps).catalog,
            { kind: 'quota', window, limit: limit ?? null },
            request.userId,
          )
        : undefined;
    return {
      ok: false,
      event: {
        type: 'refused',
        reason: {
          code: admission.code,
          message: admission.message,
          details: admission.details,
          unlock,
        },
      },
    };
  }
  // Admitted before under this key, and not stored yet: another connection is answering it.
  if (admission.replay)
    return {
      ok: false,
      notice,
      event: {
        type: 'refused',
        reason: { code: 'CONFLICT', message: 'This request is already being answered.' },
      },
    };
  return { ok: true, admission, notice };
}

/**
 * Stores the user's message (creating the conversation when new) and returns where the answer
 * goes: a regenerate answers its stored prompt again (nothing new to store); an edit supersedes
 * the old prompt and what followed it, then stores the new one — in one transaction. The API's
 * shape stores nothing.
 */
export async function storePrompt(
  deps: ChatDeps,
  input: ChatInput,
  request: ResolvedRequest,
): Promise<{ conversationId: string; promptId?: string }> {
  if (!request.stored) return { conversationId: '' };
  return chatStoreOf(deps).storePrompt({
    userId: request.userId,
    conversationId: input.conversationId,
    modelId: request.modelId,
    content: request.content,
    turn: request.turn,
    assistantId: request.assistant?.id,
    plugin: input.plugin,
    claimImages: request.images.claim,
    carryImagesFrom: request.images.carryFrom,
    now: deps.now(),
  });
}
