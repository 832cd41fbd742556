// Phase 3 of an answer: relay the provider's stream to the caller. It starts the upstream request,
// says `admitted`, then yields each delta — until the provider ends, fails, the client leaves, or
// the member stops qualifying (watch-qualification.ts aborts the upstream request and records
// why). It only records what happened in `RelayState`; the caller settles from that state in its
// own `finally`, which runs after this generator's however the stream ended.
import type { Admitted } from './admit-chat.ts';
import type { Usage } from './billing-policy.ts';
import { chatStoresOf, sqliteDbOf } from './chat-store-of.ts';
import type { ChatDeps, ChatEvent, ChatInput, FinishReason } from './chat-types.ts';
import type { ProviderEvent } from './providers/types.ts';
import type { ResolvedRequest } from './resolve-request.ts';
import { type StopReason, watchQualification } from './watch-qualification.ts';

/** The abort reason for upstream requests we end: one instance (a DOMException per abort is costly). */
const ENDED = new DOMException('The answer ended.', 'AbortError');

/** What the relay saw; read by settlement. */
export interface RelayState {
  delivered: string;
  /** Tool-call names and arguments delivered: output the member is billed for, not answer text. */
  deliveredCalls: string;
  providerUsage: Usage | null;
  /** The provider's error, unless we aborted it ourselves. */
  failure: string | null;
  /** false once the relay is over means the consumer stopped reading mid-stream. */
  finished: boolean;
  /** Set when the member stopped qualifying: the answer is cut off with this reason. */
  stop: StopReason | null;
  finishReason: FinishReason | undefined;
}

export function newRelayState(): RelayState {
  return {
    delivered: '',
    deliveredCalls: '',
    providerUsage: null,
    failure: null,
    finished: false,
    stop: null,
    finishReason: undefined,
  };
}

export async function* relayAnswer(
  deps: Pick<ChatDeps, 'db' | 'stores' | 'events' | 'now'>,
  input: Pick<ChatInput, 'member' | 'requestId' | 'signal' | 'left' | 'upstream'>,
  request: ResolvedRequest,
  admission: Admitted,
  conversationId: string,
  state: RelayState,
): AsyncGenerator<ChatEvent> {
  // If the member stops qualifying mid-stream, abort the upstream request and end with the reason.
  const upstream = new AbortController();
  const db = sqliteDbOf(deps);
  const watcher = watchQualification({
    db,
    stores: db ? undefined : chatStoresOf(deps),
    events: deps.events,
    now: deps.now,
    member: input.member,
    requirement: request.requirement,
    onLost: (reason) => {
      state.stop = reason;
      upstream.abort();
    },
  });
  const onClientGone = () => upstream.abort(ENDED);
  input.signal?.addEventListener('abort', onClientGone, { once: true });
  // Gone before the relay began (it left during admission): nothing is asked of the provider.
  if (input.signal?.aborted) upstream.abort(ENDED);
  const { model, provider } = request.routed;
  let providerEvents: AsyncIterator<ProviderEvent> | undefined;
  let eventsDone = false;
  try {
    // The first pull starts the upstream request, so it is on its way before the client is told
    // of the admission (time to first token is the upstream's plus ours, and ours comes first).
    providerEvents = state.stop
      ? undefined
      : provider
          .stream({
            model: model.upstreamModel ?? model.id,
            messages: request.prompt,
            maxOutputTokens: admission.maxOutputTokens,
            signal: upstream.signal,
            ...(input.upstream ? { options: input.upstream } : {}),
          })
          [Symbol.asyncIterator]();
    let pending = providerEvents?.next();
    // Awaited below; this only keeps a failure that lands during the next yield from being
    // reported as unhandled in the meantime.
    pending?.catch(() => {});
    yield {
      type: 'admitted',
      requestId: input.requestId,
      conversationId,
      reserved: admission.reserved,
      maxOutputTokens: admission.maxOutputTokens,
    };
    while (pending && !state.stop && !upstream.signal.aborted) {
      const next = await pending;
      if (next.done) {
        eventsDone = true;
        break;
      }
      if (state.stop || upstream.signal.aborted) break;
      if (input.left?.()) {
        // The client is gone and its stop comes later (paced): this event is dropped, unbilled,
        // and nothing more is read until the stop aborts the upstream request.
        await abortedOf(input.signal);
        break;
      }
      const event = next.value;
      if (event.type === 'usage') {
        state.providerUsage = { inputTokens: event.inputTokens, outputTokens: event.outputTokens };
      } else if (event.type === 'finish') {
        state.finishReason = event.reason;
      } else {
        // A change committed since the last chunk (by another process, which the outbox timer
        // alone could let a chunk or two past, or by this one) stops this chunk, not a later one.
        // SQLite: synchronous (decision 006). PostgreSQL: the bus's read and the watcher's
        // re-check it starts are awaited (decision 035).
        const caughtUp = deps.events?.catchUp();
        if (caughtUp) await caughtUp;
        const checking = watcher.checking();
        if (checking) await checking;
        if (state.stop) break;
        if (event.type === 'tool_call') {
          state.deliveredCalls += (event.name ?? '') + (event.arguments ?? '');
          yield event;
        } else {
          state.delivered += event.text;
          yield { type: 'delta', text: event.text };
        }
      }
      pending = providerEvents!.next();
    }
    state.finished = true;
  } catch (error) {
    state.finished = true;
    if (!upstream.signal.aborted)
      state.failure = error instanceof Error ? error.message : String(error);
  } finally {
    watcher.stop();
    input.signal?.removeEventListener('abort', onClientGone);
    // Close the provider's stream if we left it early (as `for await` would on a break).
    if (providerEvents && !eventsDone) providerEvents.return?.().catch(() => {});
    // Release the upstream socket unless the answer ran to its end (then it is released already).
    if (!state.finished || state.failure || state.stop) upstream.abort(ENDED);
  }
}

/** Resolves when `signal` aborts (at once when there is none: nothing would ever stop it). */
function abortedOf(signal: AbortSignal | undefined): Promise<void> {
  if (!signal || signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
