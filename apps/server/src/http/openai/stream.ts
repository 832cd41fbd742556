// Phase 3: run the chat engine for a parsed, authorized request and write what the framer makes of
// its events. `headers()` gives what every response carries (CORS, rate-limit), read (from the
// stores) when the response starts, so the window counts this request once it is admitted.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ApiDeps,
  type ChatEvent,
  type MemberContext,
  runChat,
  sqliteStoresOf,
} from '@tessera/api';
import type { Logger } from '../../logger.ts';
import type { CompletionRequest } from './parse.ts';
import { CompletionFramer, type Frame, toEngineInput } from './translate.ts';
import { sendJson } from './wire.ts';

export async function streamCompletion(options: {
  deps: ApiDeps;
  req: IncomingMessage;
  res: ServerResponse;
  member: MemberContext;
  body: CompletionRequest;
  headers: () => Promise<Record<string, string>>;
  logger: Logger;
}) {
  const { deps, req, res, member, body } = options;
  if (res.destroyed) return; // the client left before its answer began: nothing is admitted
  const requestId =
    (typeof req.headers['x-request-id'] === 'string' &&
      req.headers['x-request-id'].slice(0, 100)) ||
    `v1-${crypto.randomUUID()}`;
  // `/v1` has no resume: a dropped connection stops the answer (decision 009) — not on the spot
  // but through the process's paced stop queue, so 1,000 clients leaving at once do not hold the
  // loop for 1,000 stops (decision 032). Until its turn, `left` keeps a delta that arrives from
  // being delivered or billed, and nothing more is pulled.
  const client = new AbortController();
  let left = false;
  const framer = new CompletionFramer({
    id: `chatcmpl-${requestId}`,
    model: body.model,
    stream: body.stream === true,
    includeUsage: body.stream_options?.include_usage === true,
    now: deps.now,
  });
  const stores = deps.stores ?? sqliteStoresOf(deps.db);
  const events = runChat(
    {
      stores,
      // Only SQLite's watcher re-checks on the connection itself (decision 006).
      db: stores.engine === 'sqlite' ? deps.db : undefined,
      events: deps.events,
      now: deps.now,
      timeZone: deps.timeZone,
      providers: deps.providers!,
      requireVerifiedEmail: deps.requireVerifiedEmailToChat,
      publicOrigin: deps.publicOrigin,
      reservationLease: deps.reservationLease,
    },
    {
      member,
      requestId,
      requireApiAccess: true,
      signal: client.signal,
      left: () => left,
      ...toEngineInput(body),
    },
  );

  // Frames written in one tick leave in one packet: on loopback the syscall and the wake-up of
  // the reader cost more than the frame, and several often arrive together (the last token,
  // the finish, the usage). Nothing waits: the response is uncorked as soon as this tick's
  // work is done.
  const send = (data: string) => {
    if (res.writableCorked === 0) {
      res.cork();
      process.nextTick(() => res.uncork());
    }
    res.write(data);
  };
  // As OpenAI does (the SDKs surface it as `_request_id`): what to quote when asking about a call.
  const ids = { 'x-request-id': requestId };
  const write = (frame: Frame, headers: Record<string, string>) => {
    switch (frame.kind) {
      case 'open':
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          ...headers,
          ...ids,
          ...frame.headers,
        });
        return;
      case 'event':
        send(`data: ${JSON.stringify(frame.data)}\n\n`);
        return;
      case 'close':
        res.end('data: [DONE]\n\n');
        return;
      case 'end':
        res.end();
        return;
      case 'json':
        sendJson(res, frame.status, frame.body, {
          ...headers,
          ...ids,
          ...frame.headers,
        });
        return;
    }
  };

  /** The engine's step in flight: the stop waits for it before pulling the engine to its end. */
  let pulling: Promise<IteratorResult<ChatEvent>> | null = null;
  let over = false;
  /** Stops the answer and pulls the engine to its end, so its `finally` settles it (once). */
  const stop = async () => {
    client.abort(STOPPED);
    try {
      while (!over) {
        const step = await (pulling ?? events.next());
        pulling = null;
        if (step.done) over = true; // an event now is dropped: nobody reads it
      }
    } catch (error) {
      over = true;
      options.logger.error({ err: error, requestId }, 'stopping an answer failed');
    }
  };
  res.on('close', () => {
    if (res.writableFinished || over || left) return;
    left = true;
    if (deps.pacedStops) deps.pacedStops.enqueue(stop);
    else void stop();
  });

  while (!left) {
    pulling = events.next();
    const step = await pulling;
    if (left) return; // the stop owns the engine now
    pulling = null;
    if (step.done) {
      over = true;
      break;
    }
    const { frames, final } = framer.frame(step.value);
    // Read once, when a response starts (after admission the window counts this request).
    const headers = frames.some((f) => f.kind === 'open' || f.kind === 'json')
      ? await options.headers()
      : NO_HEADERS;
    if (left) return; // the client left meanwhile: the stop owns the engine now
    for (const frame of frames) write(frame, headers);
    if (final) {
      over = true;
      // Whatever follows the final event (nothing does today) is not read; `return()` ends it.
      await events.return(undefined);
      return;
    }
  }
  if (!res.writableEnded) res.end();
}

const NO_HEADERS: Record<string, string> = {};

/** The abort reason shared by every stream: a fresh DOMException per stop is costly (decision 032). */
const STOPPED = new DOMException('The client left; the answer was stopped.', 'AbortError');
