// The chat engine: one request from admission to settlement, as an async stream of typed events.
// The tRPC subscription and (later) /v1/chat/completions both run it, so both get the same gate,
// the same cut-off and the same billing.
import type { Db, MessageStatus } from '@tessera/db';
import { getActiveAssistant } from '../domain/assistants/assistants.ts';
import {
  appendUserMessage,
  conversationHistory,
  findAnswer,
  openConversation,
  recordAnswer,
} from '../domain/chat/exchanges.ts';
import { admitRequest } from '../domain/usage/admit-request.ts';
import { settleRequest } from '../domain/usage/settle-request.ts';
import { DomainError } from '../errors.ts';
import type { MemberEventBus } from '../events/member-event-bus.ts';
import { appendCreditsChanged } from '../events/outbox.ts';
import { checkRequirement } from '../member/check-requirement.ts';
import { findUnlocks } from '../member/find-unlocks.ts';
import type { MemberContext } from '../member/member-context.ts';
import { billableUsage, countPromptTokens, type Usage } from './billing-policy.ts';
import { modelById } from './model-row.ts';
import { findPlugin } from './plugins.ts';
import type { ProviderRegistry } from './providers/registry.ts';
import type {
  FinishReason,
  ProviderEvent,
  ProviderMessage,
  UpstreamOptions,
} from './providers/types.ts';
import { requestKey } from './request-key.ts';
import { type StopReason, watchQualification } from './watch-qualification.ts';

export interface ChatDeps {
  db: Db;
  events?: MemberEventBus;
  now: () => Date;
  timeZone: string;
  providers: ProviderRegistry;
}

export interface ChatInput {
  member: MemberContext;
  requestId: string;
  modelId: string;
  /** The SPA's shape: one new message in a stored conversation (created when absent). */
  content?: string;
  conversationId?: string;
  /** The API's shape: the whole prompt from the client; nothing is stored but the bill. */
  messages?: ProviderMessage[];
  /** A lower output cap than the plan's (the API's max_tokens). */
  maxOutputTokens?: number;
  /** A vendor's assistant to answer as (its model and system prompt; needs its mark). */
  assistantId?: string;
  /** A server-side plugin to run the message through (must be in the member's plan). */
  plugin?: { id: string; options?: Record<string, string> };
  /** Aborts when the client leaves. */
  signal?: AbortSignal;
  /** An API key's request: API access is required for as long as the answer streams. */
  requireApiAccess?: boolean;
  /** Tools, sampling and format parameters for the upstream (the API's); counted in the input. */
  upstream?: UpstreamOptions;
}

export type ChatEvent =
  | { type: 'refused'; reason: StopReason }
  | {
      type: 'admitted';
      requestId: string;
      conversationId: string;
      reserved: number;
      maxOutputTokens: number;
    }
  | { type: 'delta'; text: string }
  /** A piece of a tool call, as the provider streamed it (see ProviderEvent). */
  | { type: 'tool_call'; index: number; id?: string; name?: string; arguments?: string }
  | { type: 'cut_off'; reason: StopReason; usage: Usage; charged: number }
  | {
      type: 'done';
      status: 'complete' | 'error';
      usage: Usage;
      charged: number;
      error?: string;
      /** Why the model stopped, when the provider said (`tool_calls`, `length`, …). */
      finishReason?: FinishReason;
    }
  | { type: 'replay'; conversationId: string; content: string; status: string | null }
  | { type: 'notice'; code: 'FALLBACK_MODEL'; from: string; to: string; reason: string };

/** The abort reason for upstream requests we end: one instance (a DOMException per abort is costly). */
const ENDED = new DOMException('The answer ended.', 'AbortError');

export async function* runChat(deps: ChatDeps, input: ChatInput): AsyncGenerator<ChatEvent> {
  const { db } = deps;
  const userId = input.member.user.id;
  // What the reservation, the charge and the stored answer are keyed by (see request-key.ts).
  const key = requestKey(userId, input.requestId);
  const plugin = input.plugin ? findPlugin(input.plugin.id) : undefined;
  if (input.plugin && !plugin) {
    yield {
      type: 'refused',
      reason: { code: 'NOT_FOUND', message: `No plugin "${input.plugin.id}".` },
    };
    return;
  }
  const assistant = input.assistantId ? getActiveAssistant(db, input.assistantId) : undefined;
  if (input.assistantId && !assistant) {
    yield { type: 'refused', reason: { code: 'NOT_FOUND', message: 'No such assistant.' } };
    return;
  }
  let modelId = assistant?.modelId ?? input.modelId;
  // What this request relies on: checked now, and again on every member change while it streams.
  // An assistant needs its vendor's mark (not merely its model).
  const requirement = {
    model: modelId,
    feature: plugin?.id,
    marks: assistant ? [assistant.markKey] : undefined,
    apiAccess: input.requireApiAccess,
  };
  const denial = checkRequirement(input.member, requirement);
  if (denial) {
    yield {
      type: 'refused',
      reason: { ...denial, unlock: denial.missing ? findUnlocks(db, denial.missing, userId) : [] },
    };
    return;
  }
  const stored = input.messages === undefined;
  const content = input.content ?? '';
  // An answer stored before ids were scoped is found by its bare id (still only among this user's).
  const answered = stored
    ? (findAnswer(db, key, userId) ?? findAnswer(db, input.requestId, userId))
    : undefined;
  if (answered) {
    yield {
      type: 'replay',
      conversationId: answered.conversationId,
      content: answered.content,
      status: answered.status,
    };
    return;
  }
  const resolve = (id: string) => {
    const row = modelById(db, id);
    const backend = row?.active ? deps.providers.forModel(row) : null;
    return row && backend ? { model: row, provider: backend } : null;
  };
  let resolved = resolve(modelId);
  if (!resolved) {
    const switchedOff = modelById(db, modelId)?.active === false;
    yield {
      type: 'refused',
      reason: {
        code: 'MODEL_UNAVAILABLE',
        message: switchedOff
          ? `The model "${modelId}" is switched off for now. Pick another model.`
          : `The model "${modelId}" is not available.`,
        details: { model: modelId, switchedOff },
      },
    };
    return;
  }

  // Verify the conversation before admission (a foreign id is NOT_FOUND with nothing written).
  let history: ProviderMessage[] = [];
  if (stored && input.conversationId) {
    try {
      openConversation(db, { ...input, modelId, userId, firstMessage: content, now: deps.now() });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      yield { type: 'refused', reason: { code: error.code, message: error.message } };
      return;
    }
    history = conversationHistory(db, input.conversationId);
  }
  const conversationPrompt: ProviderMessage[] = input.messages ?? [
    ...history,
    { role: 'user', content },
  ];
  const withAssistant: ProviderMessage[] = assistant
    ? [{ role: 'system', content: assistant.systemPrompt }, ...conversationPrompt]
    : conversationPrompt;
  const prompt = plugin ? plugin.prompt(withAssistant, input.plugin?.options ?? {}) : withAssistant;
  const inputTokens = countPromptTokens(prompt, input.upstream?.tools);

  const admit = (id: string) =>
    admitRequest(db, {
      userId,
      requestId: key,
      modelId: id,
      entitlements: input.member.entitlements,
      refills: input.member.refills,
      inputTokens,
      requestedOutputTokens: input.maxOutputTokens,
      now: deps.now(),
      timeZone: deps.timeZone,
    });
  let admission = admit(modelId);
  // When the paid allowance runs out, a mark may name a fallback model: continue on it, saying so.
  const fallback = input.member.entitlements.fallbackModel;
  if (
    !admission.ok &&
    admission.code === 'INSUFFICIENT_CREDITS' &&
    !assistant &&
    fallback &&
    fallback !== modelId &&
    input.member.entitlements.models.includes(fallback)
  ) {
    const fallbackResolved = resolve(fallback);
    const retried = fallbackResolved ? admit(fallback) : admission;
    if (fallbackResolved && retried.ok) {
      yield {
        type: 'notice',
        code: 'FALLBACK_MODEL',
        from: modelId,
        to: fallback,
        reason: admission.message,
      };
      modelId = fallback;
      requirement.model = fallback;
      resolved = fallbackResolved;
      admission = retried;
    }
  }
  if (!admission.ok) {
    const { window, limit } = admission.details as {
      window?: 'day' | 'month';
      limit?: number | null;
    };
    const unlock =
      admission.code === 'QUOTA_EXCEEDED' && window
        ? findUnlocks(db, { kind: 'quota', window, limit: limit ?? null }, userId)
        : undefined;
    yield {
      type: 'refused',
      reason: {
        code: admission.code,
        message: admission.message,
        details: admission.details,
        unlock,
      },
    };
    return;
  }
  if (admission.replay) {
    yield {
      type: 'refused',
      reason: { code: 'CONFLICT', message: 'This request is already being answered.' },
    };
    return;
  }

  const { model, provider } = resolved;
  const conversation = stored
    ? db.transaction(() => {
        const opened = openConversation(db, {
          ...input,
          modelId,
          userId,
          firstMessage: content,
          now: deps.now(),
        });
        appendUserMessage(db, {
          conversationId: opened.id,
          content,
          assistantId: assistant?.id,
          plugin: input.plugin,
          now: deps.now(),
        });
        return opened;
      })
    : { id: '', created: false };
  // If the member stops qualifying mid-stream, abort the upstream request and end with the reason.
  const upstream = new AbortController();
  let stop: StopReason | null = null;
  const watcher = watchQualification({
    db,
    events: deps.events,
    now: deps.now,
    member: input.member,
    requirement,
    onLost: (reason) => {
      stop = reason;
      upstream.abort();
    },
  });
  const onClientGone = () => upstream.abort(ENDED);
  input.signal?.addEventListener('abort', onClientGone, { once: true });

  let delivered = '';
  // Tool-call names and arguments delivered: output the member is billed for, but no answer text.
  let deliveredCalls = '';
  let finishReason: FinishReason | undefined;
  let providerUsage: Usage | null = null;
  let failure: string | null = null;
  let finished = false; // false in `finally` means the consumer stopped reading mid-stream
  let outcome: { status: MessageStatus; usage: Usage; charged: number } | undefined;
  let providerEvents: AsyncIterator<ProviderEvent> | undefined;
  let eventsDone = false;
  try {
    // The first pull starts the upstream request, so it is on its way before the client is told
    // of the admission (time to first token is the upstream's plus ours, and ours comes first).
    providerEvents = stop
      ? undefined
      : provider
          .stream({
            model: model.upstreamModel ?? model.id,
            messages: prompt,
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
      conversationId: conversation.id,
      reserved: admission.reserved,
      maxOutputTokens: admission.maxOutputTokens,
    };
    while (pending && !stop && !upstream.signal.aborted) {
      const next = await pending;
      if (next.done) {
        eventsDone = true;
        break;
      }
      if (stop || upstream.signal.aborted) break;
      const event = next.value;
      if (event.type === 'usage') {
        providerUsage = { inputTokens: event.inputTokens, outputTokens: event.outputTokens };
      } else if (event.type === 'finish') {
        finishReason = event.reason;
      } else {
        // A change committed since the last chunk (by another process, which the outbox timer
        // alone could let a chunk or two past, or by this one) stops this chunk, not a later one.
        deps.events?.catchUp();
        if (stop) break;
        if (event.type === 'tool_call') {
          deliveredCalls += (event.name ?? '') + (event.arguments ?? '');
          yield event;
        } else {
          delivered += event.text;
          yield { type: 'delta', text: event.text };
        }
      }
      pending = providerEvents!.next();
    }
    finished = true;
  } catch (error) {
    finished = true;
    if (!upstream.signal.aborted) failure = error instanceof Error ? error.message : String(error);
  } finally {
    watcher.stop();
    input.signal?.removeEventListener('abort', onClientGone);
    // Close the provider's stream if we left it early (as `for await` would on a break).
    if (providerEvents && !eventsDone) providerEvents.return?.().catch(() => {});
    // Release the upstream socket unless the answer ran to its end (then it is released already).
    if (!finished || failure || stop) upstream.abort(ENDED);
    // Settlement happens here, exactly once, however the stream ended.
    const stopped = stop as StopReason | null;
    const status: MessageStatus = stopped
      ? 'cut_off'
      : !finished || input.signal?.aborted
        ? 'aborted'
        : failure
          ? 'error'
          : 'complete';
    const usage = billableUsage({
      delivered: delivered + deliveredCalls,
      countedInputTokens: inputTokens,
      providerUsage,
      complete: status === 'complete',
    });
    // One commit: the charge, and a refresh hint for the member's other tabs (usage meters).
    // IMMEDIATE, like settlement's own: it reads before it writes, and a deferred transaction
    // would fail with SQLITE_BUSY when another process commits in between.
    const settled = db.$client
      .transaction(() => {
        const result = settleRequest(db, {
          requestId: key,
          modelId: model.id,
          ...usage,
          now: deps.now(),
          timeZone: deps.timeZone,
        });
        if (result.settled && result.charged > 0)
          appendCreditsChanged(db.$client, userId, deps.now());
        return result;
      })
      .immediate();
    if (settled.settled && settled.charged > 0) deps.events?.poke();
    outcome = { status, usage, charged: settled.settled ? settled.charged : 0 };
    if (stored)
      recordAnswer(db, {
        conversationId: conversation.id,
        requestId: key,
        modelId: model.id,
        content: delivered,
        status,
        endReason: stopped
          ? { code: stopped.code, message: stopped.message }
          : failure
            ? { error: failure }
            : null,
        ...usage,
        credits: outcome.charged,
        now: deps.now(),
      });
  }
  const stopped = stop as StopReason | null;
  if (stopped)
    yield { type: 'cut_off', reason: stopped, usage: outcome.usage, charged: outcome.charged };
  else if (outcome.status !== 'aborted') {
    yield {
      type: 'done',
      status: failure ? 'error' : 'complete',
      usage: outcome.usage,
      charged: outcome.charged,
      ...(failure ? { error: failure } : {}),
      ...(finishReason ? { finishReason } : {}),
    };
  }
}
