// tRPC subscriptions over SSE, written straight to the Node response (docs/decisions/036).
//
// tRPC's node adapter serves a subscription as a fetch `Request` built from the IncomingMessage,
// then a chain of web streams (the event generator as a `ReadableStream`, a `TransformStream` to
// SSE text, a `TextEncoderStream`, a wrapper for its abort fix), a `Response`, and a `pipeTo` into
// the socket, with a ping generator racing a timer per event. At 5,000 open chat streams that
// chain was the largest share of the ≈ 105 KB of heap each stream kept (decision 032, "Memory").
// Here the same procedure runs the same way — the router's own procedure call, so input
// screening, auth, member checks and schemas are tRPC's, unchanged — and its events are written
// to the response as the bytes tRPC's `sseStreamProducer` (v11.19) would write: `connected` with
// the client options, `data` + `id` per tracked event, `ping` after an idle interval,
// `serialized-error` with the router's error shape, `return` at the end. Anything this writer is
// not sure to serve identically (a batch, a POST, connectionParams, input that is not JSON, an SSE
// option it does not implement) is left to tRPC's adapter.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyTRPCRouter } from '@trpc/server';
import {
  getErrorShape,
  getTRPCErrorFromUnknown,
  isAbortError,
  isAsyncIterable,
  isObject,
  isTrackedEnvelope,
  sseHeaders,
  TRPCError,
} from '@trpc/server/unstable-core-do-not-import';

export interface SubscriptionErrorInfo {
  error: TRPCError;
  path: string;
  input: unknown;
  ctx: unknown;
  type: 'subscription';
  req: IncomingMessage;
}

export interface SseSubscriptionOptions {
  router: AnyTRPCRouter;
  createContext: () => unknown;
  onError?: (info: SubscriptionErrorInfo) => void;
}

interface SubscriptionProcedure {
  (opts: {
    path: string;
    getRawInput: () => Promise<unknown>;
    ctx: unknown;
    type: 'subscription';
    signal: AbortSignal;
    batchIndex: number;
  }): Promise<unknown>;
  _def: { type: string };
}

/** tRPC's framing: each field its own line, then an empty line and one more newline. */
const END = '\n\n';
const PING = `event: ping\ndata: \n${END}`;
const RETURN = `event: return\ndata: \n${END}`;
/** As tRPC's `Headers` hands them to its adapter (its `vary` included): lower-case, sorted. */
const HEADERS = [['vary', 'trpc-accept, accept'], ...Object.entries(sseHeaders)]
  .map(([name, value]) => [name!.toLowerCase(), value!] as const)
  .sort(([a], [b]) => (a < b ? -1 : 1));

/** The input as tRPC reads a GET subscription's; `undefined` in `ok` when there is none. */
function readInput(
  router: AnyTRPCRouter,
  req: IncomingMessage,
  query: URLSearchParams,
): { ok: true; raw: unknown; input: unknown } | { ok: false } {
  let raw: unknown;
  const text = query.get('input');
  if (text) {
    try {
      raw = router._def._config.transformer.input.deserialize(JSON.parse(text));
    } catch {
      return { ok: false }; // tRPC's adapter answers that one
    }
  }
  const header = req.headers['last-event-id'];
  const lastEventId =
    (Array.isArray(header) ? header.join(', ') : header) ??
    query.get('lastEventId') ??
    query.get('Last-Event-Id');
  let input = raw;
  if (lastEventId) {
    if (isObject(raw)) input = { ...raw, lastEventId };
    else input = raw ?? { lastEventId };
  }
  return { ok: true, raw, input };
}

/** Resolves when the response can take more, or has closed (at once if it already has). */
function drained(res: ServerResponse): Promise<void> {
  if (res.destroyed || res.writableEnded || !res.writable) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Serves `path` if it is a subscription this writer serves like tRPC's adapter; resolves `false`
 * (having touched nothing) when tRPC's adapter should serve the request instead.
 */
export async function serveSseSubscription(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
  options: SseSubscriptionOptions,
): Promise<boolean> {
  const { router } = options;
  const config = router._def._config;
  const procedure = (router._def.procedures as Record<string, SubscriptionProcedure | undefined>)[
    path
  ];
  const sse = config.sse;
  if (
    req.method !== 'GET' ||
    procedure?._def.type !== 'subscription' ||
    query.has('batch') ||
    query.has('connectionParams') ||
    sse?.enabled === false ||
    sse?.maxDurationMs ||
    sse?.emitAndEndImmediately
  )
    return false;
  const read = readInput(router, req, query);
  if (!read.ok) return false;
  const { raw, input } = read;

  // Aborted when the connection closes, as tRPC's request signal is (also after a normal end).
  const abort = new AbortController();
  let open = true;
  let pinger: ReturnType<typeof setInterval> | null = null;
  res.once('close', () => {
    open = false;
    if (pinger) clearInterval(pinger);
    abort.abort();
  });
  let ctx: unknown;
  let contextError: unknown = null;
  try {
    ctx = await options.createContext();
  } catch (cause) {
    contextError = cause; // tRPC too answers it in the stream, as the procedure's error
  }
  const fail = (cause: unknown) => {
    const error = getTRPCErrorFromUnknown(cause);
    options.onError?.({ error, path, input: raw, ctx, type: 'subscription', req });
    const shape = getErrorShape({ config, ctx, error, input: raw, path, type: 'subscription' });
    return `event: serialized-error\ndata: ${JSON.stringify(config.transformer.output.serialize(shape))}\n${END}`;
  };

  let events: AsyncIterator<unknown> | null = null;
  let refused: string | null = null;
  try {
    if (contextError !== null) throw contextError;
    const data = await procedure({
      path,
      getRawInput: async () => input,
      ctx,
      type: 'subscription',
      signal: abort.signal,
      batchIndex: 0,
    });
    if (isAsyncIterable(data)) events = data[Symbol.asyncIterator]();
    else
      refused = fail(
        new TRPCError({
          code: 'INTERNAL_SERVER_ERROR',
          message: `Subscription ${path} did not return an observable or a AsyncGenerator`,
        }),
      );
  } catch (cause) {
    refused = fail(cause);
  }

  for (const [name, value] of HEADERS) res.setHeader(name, value);
  const ping = sse?.ping;
  const pingMs = ping?.enabled ? (ping.intervalMs ?? 1000) : 0;
  // One timer per stream, pushed back by every write: a ping only after a quiet interval.
  if (open && events && pingMs > 0 && pingMs !== Number.POSITIVE_INFINITY)
    pinger = setInterval(() => {
      if (open) res.write(PING);
    }, pingMs);
  const write = (text: string): boolean => {
    pinger?.refresh();
    return res.write(text);
  };

  try {
    if (!open) return true;
    if (!write(`event: connected\ndata: ${JSON.stringify(sse?.client ?? {})}\n${END}`))
      await drained(res);
    if (refused !== null || !events) {
      if (open && refused !== null) write(refused);
      return true;
    }
    try {
      while (open) {
        const next = await events.next();
        if (next.done) {
          if (open) write(RETURN);
          break;
        }
        if (!open) break;
        const value = next.value;
        const frame = isTrackedEnvelope(value)
          ? `data: ${JSON.stringify(config.transformer.output.serialize(value[1]))}\nid: ${value[0]}\n${END}`
          : `data: ${JSON.stringify(config.transformer.output.serialize(value))}\n${END}`;
        if (!write(frame)) await drained(res);
      }
    } catch (cause) {
      // An abort is the connection ending, not an error to report (as tRPC's producer).
      if (!isAbortError(cause) && open) write(fail(cause));
    }
  } finally {
    if (pinger) clearInterval(pinger);
    if (open) res.end();
    // The generator's own `finally` runs (tRPC's reader cancel does the same); awaited so a
    // crowd's cleanups are not left pending.
    await events?.return?.(undefined)?.catch(() => {});
  }
  return true;
}
