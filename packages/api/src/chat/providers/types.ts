// What the chat engine needs from a model backend. Every backend streams; usage arrives at the
// end if the backend reports it (the engine counts tokens itself otherwise).

export interface ProviderMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ProviderRequest {
  model: string;
  messages: ProviderMessage[];
  maxOutputTokens: number;
  /** Aborted when the member stops qualifying or the client leaves: stop and release the socket. */
  signal: AbortSignal;
}

export type ProviderEvent =
  | { type: 'delta'; text: string }
  | { type: 'usage'; inputTokens: number; outputTokens: number }
  /** Why the provider stopped, when it says: `length` = it reached `maxOutputTokens`. */
  | { type: 'finish'; reason: 'stop' | 'length' };

export interface ChatProvider {
  readonly id: string;
  stream(request: ProviderRequest): AsyncIterable<ProviderEvent>;
}
