// What the chat engine needs from a model backend. Every backend streams; usage arrives at the
// end if the backend reports it (the engine counts tokens itself otherwise).
//
// Messages and events carry what an OpenAI-compatible upstream accepts beyond text (tools, tool
// calls, images, sampling parameters) as optional fields: a backend that cannot use them (the
// offline demo) reads `content` alone and ignores the rest.

/** A part of a message's content as OpenAI's wire format has it. */
export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

/** An assistant's call of a client-defined function (OpenAI's `tool_calls[]`). */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ProviderMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  /** The message's text (text parts joined); what a text-only backend reads. */
  content: string;
  /** The content as parts, in order, when it holds more than text (images). */
  parts?: ContentPart[];
  /** An assistant message's tool calls. */
  toolCalls?: ToolCall[];
  /** A `tool` message: the call it answers. */
  toolCallId?: string;
  /** The participant's name (OpenAI's `name`). */
  name?: string;
}

/** Parameters passed to an OpenAI-compatible upstream as they came (the /v1 API's). */
export interface UpstreamOptions {
  tools?: unknown[];
  tool_choice?: unknown;
  parallel_tool_calls?: boolean;
  temperature?: number;
  top_p?: number;
  stop?: string | string[];
  seed?: number;
  response_format?: unknown;
  presence_penalty?: number;
  frequency_penalty?: number;
  user?: string;
}

export interface ProviderRequest {
  model: string;
  messages: ProviderMessage[];
  maxOutputTokens: number;
  /** Aborted when the member stops qualifying or the client leaves: stop and release the socket. */
  signal: AbortSignal;
  /** Tools, sampling and format parameters; a backend that cannot use them ignores them. */
  options?: UpstreamOptions;
}

/** Why the model stopped (OpenAI's `finish_reason`). */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export type ProviderEvent =
  | { type: 'delta'; text: string }
  | { type: 'usage'; inputTokens: number; outputTokens: number }
  /** A piece of a tool call: the first for an index brings its id and name, later ones arguments. */
  | { type: 'tool_call'; index: number; id?: string; name?: string; arguments?: string }
  | { type: 'finish'; reason: FinishReason };

export interface ChatProvider {
  readonly id: string;
  stream(request: ProviderRequest): AsyncIterable<ProviderEvent>;
}
