// Phase 4 of an answer: settlement. Runs in the engine's `finally`, so exactly once however the
// stream ended: charge what was used (billing-policy.ts), clamped to the reservation, release the
// rest, tell the member's other tabs, and store the answer with how it ended. Then the last event.
import type { MessageStatus } from '@tessera/db';
import { billableUsage, type Usage } from './billing-policy.ts';
import { chatStoreOf, chatStoresOf, moneyStoreOf } from './chat-store-of.ts';
import type { ChatDeps, ChatEvent, ChatInput } from './chat-types.ts';
import type { RelayState } from './relay-answer.ts';
import type { ResolvedRequest } from './resolve-request.ts';

export interface Outcome {
  status: MessageStatus;
  usage: Usage;
  charged: number;
}

/**
 * How the answer ended. A cut-off wins over everything (the member must see why); a consumer that
 * stopped reading, or a client that left, is `aborted` even if the provider also failed.
 */
export function answerStatus(state: RelayState, clientGone: boolean): MessageStatus {
  if (state.stop) return 'cut_off';
  if (!state.finished || clientGone) return 'aborted';
  return state.failure ? 'error' : 'complete';
}

export async function settleAnswer(
  deps: ChatDeps,
  input: Pick<ChatInput, 'signal' | 'left'>,
  request: ResolvedRequest,
  stored: { conversationId: string; promptId?: string },
  state: RelayState,
): Promise<Outcome> {
  const status = answerStatus(state, input.signal?.aborted === true || input.left?.() === true);
  const usage = billableUsage({
    delivered: state.delivered + state.deliveredCalls,
    countedInputTokens: request.inputTokens,
    providerUsage: state.providerUsage,
    complete: status === 'complete',
  });
  const { model } = request.routed;
  // One transaction: the charge, and a refresh hint for the member's other tabs (usage meters).
  const settled = await moneyStoreOf(deps).settle({
    requestId: request.key,
    modelId: model.id,
    ...usage,
    now: deps.now(),
    timeZone: deps.timeZone,
    announce: true,
  });
  if (settled.settled && settled.charged > 0) {
    deps.events?.poke();
    // After the commit, never inside it: the money path stays one short guarded transaction.
    try {
      await chatStoresOf(deps).ops.noticeCreditsLow({
        userId: request.userId,
        balanceAfter: settled.balance,
        charged: settled.charged,
        now: deps.now(),
        baseUrl: deps.publicOrigin ?? 'http://localhost:3000',
      });
    } catch {
      // A notice is never worth failing an answer over; the next charge looks again.
    }
  }
  const outcome: Outcome = { status, usage, charged: settled.settled ? settled.charged : 0 };
  if (request.stored)
    await chatStoreOf(deps).recordAnswer({
      conversationId: stored.conversationId,
      replyTo: stored.promptId,
      requestId: request.key,
      modelId: model.id,
      content: state.delivered,
      status,
      endReason: state.stop
        ? { code: state.stop.code, message: state.stop.message }
        : state.failure
          ? { error: state.failure }
          : null,
      ...usage,
      credits: outcome.charged,
      now: deps.now(),
    });
  return outcome;
}

/** The event that ends an answer the caller is still reading (none for an aborted one). */
export function finalEvent(state: RelayState, outcome: Outcome): ChatEvent | null {
  if (state.stop)
    return { type: 'cut_off', reason: state.stop, usage: outcome.usage, charged: outcome.charged };
  if (outcome.status === 'aborted') return null;
  return {
    type: 'done',
    status: state.failure ? 'error' : 'complete',
    usage: outcome.usage,
    charged: outcome.charged,
    ...(state.failure ? { error: state.failure } : {}),
    ...(!state.failure && state.finishReason ? { finishReason: state.finishReason } : {}),
  };
}
