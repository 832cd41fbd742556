// The one place where OpenAI's wire format meets the chat engine: a parsed request becomes the
// engine's input (toEngineInput), and the engine's events become OpenAI's chunks, completions and
// errors (CompletionFramer). Both are pure; stream.ts moves the bytes.
import type {
  ChatEvent,
  ContentPart,
  FinishReason,
  ProviderMessage,
  ToolCall,
  UpstreamOptions,
} from '@tessera/api';
import type { CompletionRequest } from './parse.ts';
import { PASSED_THROUGH } from './parse.ts';
import { domainError, type ErrorBody, errorBody, retryAfterSeconds } from './wire.ts';

type WireMessage = CompletionRequest['messages'][number];

const joined = (content: WireMessage['content']): string =>
  typeof content === 'string'
    ? content
    : (content ?? []).map((p) => ('text' in p ? p.text : 'refusal' in p ? p.refusal : '')).join('');

export function toEngineMessage(m: WireMessage): ProviderMessage {
  const name = 'name' in m && m.name !== undefined ? { name: m.name } : {};
  switch (m.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: joined(m.content), ...name };
    case 'user': {
      const images = typeof m.content !== 'string' && m.content.some((p) => p.type === 'image_url');
      return {
        role: 'user',
        content: joined(m.content),
        ...(images ? { parts: m.content as ContentPart[] } : {}),
        ...name,
      };
    }
    case 'assistant':
      return {
        role: 'assistant',
        content: joined(m.content),
        ...(m.tool_calls?.length ? { toolCalls: m.tool_calls satisfies ToolCall[] } : {}),
        ...name,
      };
    case 'tool':
      return { role: 'tool', content: joined(m.content), toolCallId: m.tool_call_id };
  }
}

/** What the engine is given for a request: the prompt, the output cap, the parameters to forward. */
export function toEngineInput(body: CompletionRequest) {
  const upstream: UpstreamOptions = {};
  for (const key of PASSED_THROUGH) {
    const value = body[key];
    if (value !== null && value !== undefined) Object.assign(upstream, { [key]: value });
  }
  return {
    modelId: body.model,
    messages: body.messages.map(toEngineMessage),
    maxOutputTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
    ...(Object.keys(upstream).length > 0 ? { upstream } : {}),
  };
}

/** What the writer does with a frame: start the event stream, send an SSE event, or answer. */
export type Frame =
  | { kind: 'open'; headers: Record<string, string> }
  | { kind: 'event'; data: unknown }
  | { kind: 'close' } // after the last event: `data: [DONE]` and the end
  | { kind: 'end' } // end the stream as it is (after an error event)
  | { kind: 'json'; status: number; body: unknown; headers: Record<string, string> };

type ToolCallDelta = Extract<ChatEvent, { type: 'tool_call' }>;

/**
 * Engine events → OpenAI frames for one completion. Streaming: a role chunk on admission, a chunk
 * per text or tool-call delta, the finish chunk, the usage chunk if asked for, `[DONE]`. Not
 * streaming: the text and tool calls gathered into one `chat.completion`.
 */
export class CompletionFramer {
  private answeredBy: string;
  private fallback: { from: string; to: string; reason: string } | null = null;
  private text = '';
  private readonly calls: ToolCall[] = [];
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(
    private readonly options: {
      id: string;
      model: string;
      stream: boolean;
      includeUsage: boolean;
      now: () => Date;
    },
  ) {
    this.answeredBy = options.model;
  }

  /** The frames for one event; `final` is true once the response is complete. */
  frame(event: ChatEvent): { frames: Frame[]; final: boolean } {
    const { stream } = this.options;
    switch (event.type) {
      case 'notice':
        // The engine fell back to another model before admission: the response names it.
        this.answeredBy = event.to;
        this.fallback = { from: event.from, to: event.to, reason: event.reason };
        return { frames: [], final: false };
      case 'refused': {
        const { status, body } = domainError(event.reason.code, event.reason.message, {
          ...event.reason.details,
          unlock: event.reason.unlock,
        });
        const retry =
          status === 429 ? retryAfterSeconds(event.reason.details, this.options.now()) : null;
        const headers: Record<string, string> =
          retry === null ? {} : { 'retry-after': String(retry) };
        return { frames: [{ kind: 'json', status, body, headers }], final: true };
      }
      case 'replay':
        return this.fail(
          409,
          errorBody(
            'This request id was already answered.',
            'invalid_request_error',
            'duplicate_request',
          ),
        );
      case 'admitted':
        if (!stream) return { frames: [], final: false };
        return {
          frames: [
            { kind: 'open', headers: this.modelHeaders() },
            { kind: 'event', data: this.chunk({ role: 'assistant', content: '' }, null) },
          ],
          final: false,
        };
      case 'delta':
        this.text += event.text;
        return {
          frames: stream
            ? [{ kind: 'event', data: this.chunk({ content: event.text }, null) }]
            : [],
          final: false,
        };
      case 'tool_call':
        this.gather(event);
        return {
          frames: stream
            ? [{ kind: 'event', data: this.chunk({ tool_calls: [wireDelta(event)] }, null) }]
            : [],
          final: false,
        };
      case 'cut_off': {
        const error = errorBody(event.reason.message, 'cut_off', event.reason.code.toLowerCase(), {
          unlock: event.reason.unlock ?? [],
        });
        // The official SDKs raise an APIError for an `error` object in the stream.
        if (stream)
          return { frames: [{ kind: 'event', data: error }, { kind: 'end' }], final: true };
        return this.fail(domainError(event.reason.code, '').status, error);
      }
      case 'done':
        return this.done(event);
    }
  }

  private done(event: Extract<ChatEvent, { type: 'done' }>): { frames: Frame[]; final: boolean } {
    if (event.status === 'error') {
      const error = errorBody('The model failed.', 'server_error', 'upstream_error');
      if (this.options.stream)
        return { frames: [{ kind: 'event', data: error }, { kind: 'end' }], final: true };
      return this.fail(502, error);
    }
    const usage = {
      prompt_tokens: event.usage.inputTokens,
      completion_tokens: event.usage.outputTokens,
      total_tokens: event.usage.inputTokens + event.usage.outputTokens,
    };
    const finish: FinishReason =
      event.finishReason ?? (this.calls.length > 0 ? 'tool_calls' : 'stop');
    const fallback = this.fallback ? { tessera_fallback: this.fallback } : {};
    if (this.options.stream) {
      const frames: Frame[] = [{ kind: 'event', data: { ...this.chunk({}, finish), ...fallback } }];
      if (this.options.includeUsage)
        frames.push({ kind: 'event', data: { ...this.chunk({}, null), choices: [], usage } });
      frames.push({ kind: 'close' });
      return { frames, final: true };
    }
    const calls = this.calls.filter(Boolean);
    const message = {
      role: 'assistant',
      content: calls.length > 0 && this.text === '' ? null : this.text,
      ...(calls.length > 0 ? { tool_calls: calls } : {}),
    };
    const body = {
      id: this.options.id,
      object: 'chat.completion',
      created: this.created,
      model: this.answeredBy,
      choices: [{ index: 0, message, finish_reason: finish }],
      usage,
      ...fallback,
    };
    return {
      frames: [{ kind: 'json', status: 200, body, headers: this.modelHeaders() }],
      final: true,
    };
  }

  private fail(status: number, body: ErrorBody) {
    return { frames: [{ kind: 'json', status, body, headers: {} } satisfies Frame], final: true };
  }

  /** A streamed call's pieces put together by index, for the non-streamed `tool_calls`. */
  private gather(event: ToolCallDelta) {
    let call = this.calls[event.index];
    if (!call) {
      call = { id: '', type: 'function', function: { name: '', arguments: '' } };
      this.calls[event.index] = call;
    }
    if (event.id) call.id = event.id;
    if (event.name) call.function.name += event.name;
    if (event.arguments) call.function.arguments += event.arguments;
  }

  private modelHeaders(): Record<string, string> {
    return {
      'x-tessera-model': this.answeredBy,
      ...(this.fallback ? { 'x-tessera-fallback-from': this.fallback.from } : {}),
    };
  }

  private chunk(delta: Record<string, unknown>, finish: FinishReason | null) {
    return {
      id: this.options.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.answeredBy,
      choices: [{ index: 0, delta, finish_reason: finish }],
    };
  }
}

/** A tool-call delta as OpenAI streams it: id, type and name on a call's first piece. */
function wireDelta(event: ToolCallDelta) {
  return {
    index: event.index,
    ...(event.id ? { id: event.id, type: 'function' } : {}),
    function: {
      ...(event.name ? { name: event.name } : {}),
      // A call's first piece always has `arguments` (clients append to it).
      ...(event.arguments !== undefined || event.id ? { arguments: event.arguments ?? '' } : {}),
    },
  };
}
