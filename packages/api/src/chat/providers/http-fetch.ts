// The `fetch` our openai SDK clients use: the SDK's own request building, retries, timeouts and
// SSE parsing, over node:http / node:https instead of the platform's fetch (undici). Every answer
// is one streamed request, and undici's fetch machinery cost about 0.5 ms of CPU per answer more
// than node:http's native parser on this 2-core machine — time every other open stream waits for
// (docs/decisions/011). The SDK documents `fetch` as the place to plug one in.
//
// What it does not do, and why that is fine for a model API: it follows no redirects (a 3xx
// reaches the SDK as an error status) and uses no proxy (neither does Node's fetch). Requests the
// SDK could make with another kind of body (file uploads) go to the platform's fetch unchanged.
import http from 'node:http';
import https from 'node:https';
import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * What the sockets are destroyed with when the reason is a plain AbortError: one instance. Node
 * reads the stack of every error a stream is destroyed with, and formatting a fresh one (through
 * source maps under tsx) was the largest cost of stopping an answer (docs/decisions/032).
 */
const ABORTED = new DOMException('This operation was aborted', 'AbortError');

/** Statuses whose response has no body (a `Response` refuses one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function decompressed(response: http.IncomingMessage): Readable {
  const encoding = response.headers['content-encoding']?.trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : null;
  if (!decoder) return response;
  // An error on either side ends the other (and the body the SDK reads) with it.
  return pipeline(response, decoder, () => {});
}

function plainUrl(input: string | URL | Request): URL | null {
  if (input instanceof Request) return null;
  const url = new URL(input);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
}

export function httpFetch(
  input: string | URL | Request,
  init: RequestInit = {},
): Promise<Response> {
  const url = plainUrl(input);
  const body = init.body ?? null;
  if (!url || !(body === null || typeof body === 'string' || body instanceof Uint8Array))
    return fetch(input, init);
  const headers: Record<string, string> = {};
  // The SDK hands over a Headers object: read it as it is instead of copying it first.
  const given = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
  given.forEach((value, name) => {
    headers[name] = value;
  });
  if (body !== null) headers['content-length'] ??= String(Buffer.byteLength(body));
  const method = init.method?.toUpperCase() ?? 'GET';
  const transport = url.protocol === 'https:' ? https : http;
  const signal = init.signal ?? undefined;
  // As fetch: an abort rejects with the signal's reason, before and after the response began.
  const aborted = () =>
    signal?.reason ?? new DOMException('This operation was aborted', 'AbortError');
  if (signal?.aborted) return Promise.reject(aborted());
  return new Promise((resolve, reject) => {
    let response: http.IncomingMessage | undefined;
    const onAbort = () => {
      const reason = aborted();
      // A body read still fails with an AbortError; a reason of another kind is passed on as is.
      const destroyWith =
        reason instanceof DOMException && reason.name === 'AbortError' ? ABORTED : reason;
      request.destroy(destroyWith);
      response?.destroy(destroyWith);
      reject(reason); // ignored once the response has resolved the promise
    };
    // The global agents keep connections alive (and close idle ones after 5 s); a quiet stream is
    // not timed out by them — the SDK's own timeout covers a hung upstream.
    const request = transport.request(url, { method, headers }, (incoming) => {
      response = incoming;
      incoming.once('close', () => signal?.removeEventListener('abort', onAbort));
      const status = incoming.statusCode ?? 502;
      const responseHeaders = new Headers();
      const raw = incoming.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) responseHeaders.append(raw[i]!, raw[i + 1]!);
      const bodyless = NULL_BODY_STATUSES.has(status) || method === 'HEAD';
      if (bodyless) incoming.resume();
      resolve(
        new Response(
          bodyless ? null : (Readable.toWeb(decompressed(incoming)) as ReadableStream<Uint8Array>),
          { status, statusText: incoming.statusMessage ?? '', headers: responseHeaders },
        ),
      );
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    request.end(body ?? undefined);
  });
}
