// The chat engine: one request from admission to settlement, as an async stream of typed events.
// The tRPC subscription and /v1/chat/completions both run it, so both get the same gate, the same
// cut-off and the same billing (docs/decisions/009). It reads as its four phases:
//   resolve-request.ts  what is asked, by whom, on which model — or the refusal/replay that ends it
//   admit-chat.ts       quota + worst-case reservation in one transaction; store the user's message
//   relay-answer.ts     stream the provider's deltas, cut off when the member stops qualifying
//   settle-answer.ts    charge what was used, release the rest, store the answer — exactly once
import { admitChat, storePrompt } from './admit-chat.ts';
import type { ChatDeps, ChatEvent, ChatInput } from './chat-types.ts';
import { newRelayState, relayAnswer } from './relay-answer.ts';
import { resolveRequest } from './resolve-request.ts';
import { finalEvent, type Outcome, settleAnswer } from './settle-answer.ts';

export type { ChatDeps, ChatEvent, ChatInput, FinishReason } from './chat-types.ts';

export async function* runChat(deps: ChatDeps, input: ChatInput): AsyncGenerator<ChatEvent> {
  const resolution = await resolveRequest(deps, input);
  if (!resolution.ok) {
    yield resolution.event;
    return;
  }
  const request = resolution.request;
  const admitted = await admitChat(deps, input, request);
  if (admitted.notice) yield admitted.notice;
  if (!admitted.ok) {
    yield admitted.event;
    return;
  }
  const { conversationId, promptId } = await storePrompt(deps, input, request);
  const state = newRelayState();
  let outcome: Outcome;
  try {
    yield* relayAnswer(deps, input, request, admitted.admission, conversationId, state);
  } finally {
    // Settlement happens here, exactly once, however the stream ended — also when the consumer
    // stops reading (`return()` runs the relay's `finally`, then this one).
    outcome = await settleAnswer(deps, input, request, { conversationId, promptId }, state);
  }
  const last = finalEvent(state, outcome);
  if (last) yield last;
}
