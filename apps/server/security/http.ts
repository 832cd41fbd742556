// Requests as a browser tab would send them, with the input as raw JSON text so that what JSON.stringify
// cannot produce (1e309 = Infinity, `__proto__` keys) still reaches the server.
import type { TestServer } from '../test/harness.ts';

export type ProcedureType = 'query' | 'mutation' | 'subscription';
/** Who sends the request: a session cookie, or nobody signed in. */
export type As = { cookie: string } | null;

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected loosely in assertions
  body: any;
}

export interface CallOptions {
  /** The input as JSON text, sent as is (default: JSON.stringify(input)). */
  raw?: string;
  /** Default: this site's origin on POST, none on GET; null sends none. */
  origin?: string | null;
  /** Default: POST for mutations, GET otherwise. */
  method?: 'GET' | 'POST';
}

export async function call(
  server: TestServer,
  as: As,
  path: string,
  type: ProcedureType,
  input?: unknown,
  options: CallOptions = {},
): Promise<Reply> {
  const raw = options.raw ?? (input === undefined ? undefined : JSON.stringify(input));
  const method = options.method ?? (type === 'mutation' ? 'POST' : 'GET');
  const origin = options.origin === undefined && method === 'POST' ? server.url : options.origin;
  const headers: Record<string, string> = {};
  if (as) headers.cookie = as.cookie;
  if (origin) headers.origin = origin;
  if (type === 'subscription') headers.accept = 'text/event-stream';
  let url = `${server.url}/trpc/${path}`;
  if (method === 'GET' && raw !== undefined) url += `?input=${encodeURIComponent(raw)}`;
  if (method === 'POST') headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method,
    headers,
    body: method === 'POST' ? raw : undefined,
  });
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    return { status: response.status, body: await firstServerEvent(response) };
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

/** The first event of an SSE answer (a subscription's refusal comes as a `serialized-error`). */
async function firstServerEvent(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { event: null, data: null };
      buffered += decoder.decode(value, { stream: true });
      for (const block of buffered.split('\n\n').slice(0, -1)) {
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === 'return') return { event: null, data: null }; // ended without a word
        if (event === 'connected' || event === 'ping' || !data) continue;
        return { event, data: JSON.parse(data) };
      }
    }
  } finally {
    await reader.cancel();
  }
}
