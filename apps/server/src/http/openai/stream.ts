// Phase 3: run the chat engine for a parsed, authorized request and write what the framer makes of
// its events. `headers()` gives what every response carries (CORS, rate-limit), read when the
// response starts, so the window counts this request once it is admitted.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiDeps, type ChatEvent, type MemberContext, runChat } from '@tessera/api';
import type { CompletionRequest } from './parse.ts';
import { CompletionFramer, type Frame, toEngineInput } from './translate.ts';
import { sendJson } from './wire.ts';

export async function streamCompletion(options: {
  deps: ApiDeps;
  req: IncomingMessage;
  res: ServerResponse;
  member: MemberContext;
  body: CompletionRequest;
  headers: () => Record<string, string>;
}) {
  const { deps, req, res, member, body } = options;
  const requestId =
    (typeof req.headers['x-request-id'] === 'string' &&
      req.headers['x-request-id'].slice(0, 100)) ||
    `v1-${crypto.randomUUID()}`;
  // `/v1` has no resume: a dropped connection stops the answer at once (decision 009).
  const client = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) client.abort();
  });
  const framer = new CompletionFramer({
    id: `chatcmpl-${requestId}`,
    model: body.model,
    stream: body.stream === true,
    includeUsage: body.stream_options?.include_usage === true,
    now: deps.now,
  });
  const events = runChat(
    {
      db: deps.db,
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
  const write = (frame: Frame) => {
    switch (frame.kind) {
      case 'open':
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          ...options.headers(),
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
          ...options.headers(),
          ...ids,
          ...frame.headers,
        });
        return;
    }
  };

  for await (const event of events as AsyncIterable<ChatEvent>) {
    const { frames, final } = framer.frame(event);
    for (const frame of frames) write(frame);
    if (final) return;
  }
  if (!res.writableEnded) res.end();
}
