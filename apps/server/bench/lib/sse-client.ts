// A lean client for streamed chat completions (`POST …/chat/completions`, `stream: true`), used by
// the streaming benchmarks on both sides: against the fake upstream directly and through Tessera.
// It parses the SSE frames (`data: {chunk}`, an `error` object, `data: [DONE]`) and records when
// each thing arrived, with `performance.now()` taken in the socket's `data` callback. It is the
// same code on both sides, so whatever it costs cancels out of every comparison.
import { type Agent, type OutgoingHttpHeaders, request } from 'node:http';

const STREAM_TIMEOUT_MS = 30_000;

export interface StreamTarget {
  /** e.g. `http://127.0.0.1:41234` */
  origin: string;
  path: string;
  headers?: OutgoingHttpHeaders;
}

export interface StreamError {
  message?: string;
  type?: string;
  code?: string | null;
}

export interface StreamResult {
  status: number;
  /** `performance.now()` when the request was sent. */
  sentAt: number;
  /** When the first byte of the body arrived (Tessera sends a role chunk at admission). */
  firstByteAt: number | null;
  /** When the first chunk with content (the first token) arrived. */
  firstTokenAt: number | null;
  /** When the stream ended for the client: `[DONE]`, an `error` frame, or the socket's end. */
  endedAt: number;
  /** Chunks that carried content. */
  tokens: number;
  text: string;
  /** `data: [DONE]` arrived. */
  done: boolean;
  /** An `error` object arrived in the stream (a cut-off, a failed model), or a non-200 body. */
  error: StreamError | null;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
  /** The client gave up (`signal`) before the end. */
  abandoned: boolean;
}

export interface StreamHooks {
  /** Called for every content chunk, with its arrival time. */
  onToken?(at: number, index: number): void;
  /** Aborting it destroys the socket: the client leaves mid-stream. */
  signal?: AbortSignal;
}

interface Frame {
  error?: StreamError;
  choices?: Array<{ delta?: { content?: string | null } }>;
  usage?: StreamResult['usage'];
}

/** Streams one completion and resolves when it ends, however it ends (rejects only on faults). */
export function streamCompletion(
  agent: Agent,
  target: StreamTarget,
  body: Record<string, unknown>,
  hooks: StreamHooks = {},
): Promise<StreamResult> {
  const url = new URL(target.path, target.origin);
  const payload = JSON.stringify({ ...body, stream: true });
  return new Promise((resolve, reject) => {
    const result: StreamResult = {
      status: 0,
      sentAt: performance.now(),
      firstByteAt: null,
      firstTokenAt: null,
      endedAt: 0,
      tokens: 0,
      text: '',
      done: false,
      error: null,
      usage: null,
      abandoned: false,
    };
    let settled = false;
    const finish = (at: number) => {
      if (settled) return;
      settled = true;
      result.endedAt = at;
      hooks.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = () => {
      result.abandoned = true;
      req.destroy();
      finish(performance.now());
    };

    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          accept: 'text/event-stream',
          ...target.headers,
        },
      },
      (res) => {
        result.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        if (result.status !== 200) {
          let text = '';
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => {
            try {
              result.error = (JSON.parse(text) as Frame).error ?? { message: text };
            } catch {
              result.error = { message: text.slice(0, 300) };
            }
            finish(performance.now());
          });
          return;
        }
        let buffer = '';
        res.on('data', (chunk: string) => {
          const at = performance.now();
          result.firstByteAt ??= at;
          buffer += chunk;
          let boundary = buffer.indexOf('\n\n');
          while (boundary !== -1) {
            const event = buffer.slice(0, boundary);
            buffer = buffer.slice(boundary + 2);
            boundary = buffer.indexOf('\n\n');
            for (const line of event.split('\n')) {
              if (!line.startsWith('data:')) continue;
              const data = line.slice(5).trimStart();
              if (data === '[DONE]') {
                result.done = true;
                finish(at);
                continue;
              }
              const frame = JSON.parse(data) as Frame;
              if (frame.error) {
                result.error = frame.error;
                finish(at);
                continue;
              }
              const content = frame.choices?.[0]?.delta?.content;
              if (content) {
                result.firstTokenAt ??= at;
                result.text += content;
                hooks.onToken?.(at, result.tokens);
                result.tokens++;
              }
              if (frame.usage) result.usage = frame.usage;
            }
          }
        });
        res.on('end', () => finish(performance.now()));
        res.on('error', (error) => (settled ? undefined : reject(error)));
      },
    );
    req.on('error', (error) => {
      if (!settled) reject(error);
    });
    // A hung server must fail the run, not stall it.
    req.setTimeout(STREAM_TIMEOUT_MS, () =>
      req.destroy(new Error(`${target.path}: no data for ${STREAM_TIMEOUT_MS} ms`)),
    );
    hooks.signal?.addEventListener('abort', onAbort, { once: true });
    req.end(payload);
  });
}

/**
 * Throws unless the stream ended with `[DONE]` and no error, with `tokens` content chunks when that
 * is given. A stream the client left on purpose (`abandoned`) passes: the benchmark ended it.
 */
export function expectCompleteStream(result: StreamResult, label: string, tokens?: number): void {
  if (result.abandoned) return;
  if (result.status !== 200 || !result.done || result.error)
    throw new Error(
      `${label}: a stream failed (${result.status}): ${JSON.stringify(result.error ?? { done: result.done })}`,
    );
  if (tokens !== undefined && result.tokens !== tokens)
    throw new Error(`${label}: ${result.tokens} tokens arrived, not ${tokens}`);
}
