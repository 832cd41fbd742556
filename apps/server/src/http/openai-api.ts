// The OpenAI-compatible API: GET /v1/models and POST /v1/chat/completions (streaming and not),
// authenticated by API keys and run by the same chat engine as the SPA — same admission, same
// cut-off, same settlement. Errors use OpenAI's shape, with our status table (401/402/403/429).
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ApiDeps,
  type ChatEvent,
  checkRequirement,
  type DomainErrorCode,
  domainErrorTable,
  memberForApiKey,
  runChat,
  screenInput,
  verifyApiKey,
} from '@tessera/api';
import { z } from 'zod';
import type { Logger } from '../logger.ts';

const OPENAI_TYPES: Partial<Record<DomainErrorCode, string>> = {
  QUOTA_EXCEEDED: 'rate_limit_error',
  RATE_LIMITED: 'rate_limit_error',
  INSUFFICIENT_CREDITS: 'insufficient_quota',
  PLAN_REQUIRED: 'insufficient_quota',
  MODEL_NOT_IN_PLAN: 'permission_error',
  FEATURE_NOT_IN_PLAN: 'permission_error',
  MARK_REQUIRED: 'permission_error',
  MODEL_UNAVAILABLE: 'invalid_request_error',
  VALIDATION: 'invalid_request_error',
};

function errorBody(
  message: string,
  type: string,
  code: string | null,
  extra: Record<string, unknown> = {},
) {
  return { error: { message, type, param: null, code, ...extra } };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

function sendDomainError(
  res: ServerResponse,
  code: DomainErrorCode,
  message: string,
  details?: Record<string, unknown>,
) {
  const status = code === 'MODEL_UNAVAILABLE' ? 404 : domainErrorTable[code].http;
  sendJson(
    res,
    status,
    errorBody(
      message,
      OPENAI_TYPES[code] ?? 'invalid_request_error',
      code.toLowerCase(),
      details ? { details } : {},
    ),
  );
}

const contentPart = z.object({ type: z.literal('text'), text: z.string() });
const completionRequest = z.object({
  model: z.string().min(1).max(100),
  messages: z
    .array(
      z.object({
        role: z.enum(['system', 'developer', 'user', 'assistant']),
        content: z.union([z.string(), z.array(contentPart)]),
      }),
    )
    .min(1)
    .max(500),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
});

async function readJson(req: IncomingMessage, limit = 1_000_000): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is read and dropped rather than the loop left: leaving it destroys
  // the socket, and the client sees a connection reset instead of the 400 below.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  if (size > limit) throw new Error('too large');
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** What an OpenAI client gets for an endpoint this server does not have. */
export function sendOpenAINotFound(res: ServerResponse, route: string) {
  sendJson(res, 404, errorBody(`Unknown endpoint ${route}.`, 'invalid_request_error', 'not_found'));
}

export function createOpenAIApiHandler(options: { deps: ApiDeps; logger: Logger }) {
  const { deps } = options;

  function authenticate(req: IncomingMessage, res: ServerResponse) {
    const header = req.headers.authorization ?? '';
    const key = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const now = deps.now();
    const verified = key ? verifyApiKey(deps.db, key, now) : null;
    if (!verified) {
      sendJson(
        res,
        401,
        errorBody('Invalid or revoked API key.', 'invalid_request_error', 'invalid_api_key'),
      );
      return null;
    }
    const member = memberForApiKey(deps.db, verified, now);
    const denial = checkRequirement(member, { apiAccess: true });
    if (denial) {
      sendDomainError(res, denial.code, denial.message);
      return null;
    }
    return member;
  }

  async function listModels(
    res: ServerResponse,
    member: NonNullable<ReturnType<typeof authenticate>>,
  ) {
    const rows = deps.db.$client
      .prepare<[], { id: string; created_at: number }>(
        'select id, created_at from models where active = 1 order by id',
      )
      .all();
    const data = rows
      .filter((m) => member.entitlements.models.includes(m.id))
      .map((m) => ({
        id: m.id,
        object: 'model',
        created: Math.floor(m.created_at / 1000),
        owned_by: 'tessera',
      }));
    sendJson(res, 200, { object: 'list', data });
  }

  async function completions(
    req: IncomingMessage,
    res: ServerResponse,
    member: NonNullable<ReturnType<typeof authenticate>>,
  ) {
    let body: z.infer<typeof completionRequest>;
    try {
      const json = await readJson(req);
      // The same screen as every tRPC procedure: no `__proto__` keys, control or invisible
      // characters (they would reach the model and the stored conversation).
      const hostile = screenInput(json);
      const parsed = completionRequest.safeParse(json);
      if (hostile || !parsed.success) {
        const fields = hostile
          ? Object.keys(hostile)
          : (parsed.error?.issues.map((i) => i.path.join('.')) ?? []);
        sendJson(
          res,
          400,
          errorBody(
            `Invalid request: ${fields.join(', ')}`,
            'invalid_request_error',
            'invalid_request',
          ),
        );
        return;
      }
      body = parsed.data;
    } catch {
      sendJson(
        res,
        400,
        errorBody('The body must be JSON (at most 1 MB).', 'invalid_request_error', 'invalid_json'),
      );
      return;
    }
    const requestId =
      (typeof req.headers['x-request-id'] === 'string' &&
        req.headers['x-request-id'].slice(0, 100)) ||
      `v1-${crypto.randomUUID()}`;
    const client = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) client.abort();
    });
    const id = `chatcmpl-${requestId}`;
    const created = Math.floor(Date.now() / 1000);
    // The model that answers: the requested one, unless the engine fell back to a cheaper one
    // (its FALLBACK_MODEL notice comes before admission). The ledger charges that model, so the
    // response names it too, and says what was asked for in headers and a `tessera_fallback` field.
    let answeredBy = body.model;
    let fallback: { from: string; to: string; reason: string } | null = null;
    const modelHeaders = (): Record<string, string> => ({
      'x-tessera-model': answeredBy,
      ...(fallback ? { 'x-tessera-fallback-from': fallback.from } : {}),
    });
    const fallbackField = () => (fallback ? { tessera_fallback: fallback } : {});
    const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model: answeredBy,
      choices: [{ index: 0, delta, finish_reason: finish }],
    });

    const events = runChat(
      {
        db: deps.db,
        events: deps.events,
        now: deps.now,
        timeZone: deps.timeZone,
        providers: deps.providers!,
      },
      {
        member,
        requestId,
        requireApiAccess: true,
        modelId: body.model,
        messages: body.messages.map((m) => ({
          role: m.role === 'developer' ? 'system' : m.role,
          content:
            typeof m.content === 'string' ? m.content : m.content.map((p) => p.text).join(''),
        })),
        maxOutputTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
        signal: client.signal,
      },
    );

    // Frames written in one tick leave in one packet: on loopback the syscall and the wake-up of
    // the reader cost more than the frame, and several often arrive together (the last token,
    // the finish, the usage). Nothing waits: the response is uncorked as soon as this tick's
    // work is done.
    const send = (frame: string) => {
      if (res.writableCorked === 0) {
        res.cork();
        process.nextTick(() => res.uncork());
      }
      res.write(frame);
    };

    let text = '';
    for await (const event of events as AsyncIterable<ChatEvent>) {
      switch (event.type) {
        case 'notice':
          answeredBy = event.to;
          fallback = { from: event.from, to: event.to, reason: event.reason };
          break;
        case 'refused':
          sendDomainError(res, event.reason.code, event.reason.message, {
            ...event.reason.details,
            unlock: event.reason.unlock,
          });
          return;
        case 'replay':
          sendJson(
            res,
            409,
            errorBody(
              'This request id was already answered.',
              'invalid_request_error',
              'duplicate_request',
            ),
          );
          return;
        case 'admitted':
          if (body.stream) {
            res.writeHead(200, {
              'content-type': 'text/event-stream',
              'cache-control': 'no-store',
              connection: 'keep-alive',
              ...modelHeaders(),
            });
            send(`data: ${JSON.stringify(chunk({ role: 'assistant', content: '' }, null))}\n\n`);
          }
          break;
        case 'delta':
          text += event.text;
          if (body.stream)
            send(`data: ${JSON.stringify(chunk({ content: event.text }, null))}\n\n`);
          break;
        case 'cut_off': {
          const error = errorBody(
            event.reason.message,
            'cut_off',
            event.reason.code.toLowerCase(),
            { unlock: event.reason.unlock ?? [] },
          );
          if (body.stream) {
            // The official SDKs raise an APIError for an `error` object in the stream.
            res.end(`data: ${JSON.stringify(error)}\n\n`);
          } else {
            sendJson(res, domainErrorTable[event.reason.code].http, error);
          }
          return;
        }
        case 'done': {
          const usage = {
            prompt_tokens: event.usage.inputTokens,
            completion_tokens: event.usage.outputTokens,
            total_tokens: event.usage.inputTokens + event.usage.outputTokens,
          };
          if (event.status === 'error') {
            if (body.stream)
              res.end(
                `data: ${JSON.stringify(errorBody('The model failed.', 'server_error', 'upstream_error'))}\n\n`,
              );
            else
              sendJson(res, 502, errorBody('The model failed.', 'server_error', 'upstream_error'));
            return;
          }
          if (body.stream) {
            let tail = `data: ${JSON.stringify({ ...chunk({}, event.finishReason ?? 'stop'), ...fallbackField() })}\n\n`;
            if (body.stream_options?.include_usage)
              tail += `data: ${JSON.stringify({ ...chunk({}, null), choices: [], usage })}\n\n`;
            res.end(`${tail}data: [DONE]\n\n`);
          } else {
            sendJson(
              res,
              200,
              {
                id,
                object: 'chat.completion',
                created,
                model: answeredBy,
                choices: [
                  {
                    index: 0,
                    message: { role: 'assistant', content: text },
                    finish_reason: event.finishReason ?? 'stop',
                  },
                ],
                usage,
                ...fallbackField(),
              },
              modelHeaders(),
            );
          }
          return;
        }
      }
    }
    if (!res.writableEnded) res.end();
  }

  return async function handleOpenAI(req: IncomingMessage, res: ServerResponse, pathname: string) {
    if (!deps.providers) {
      sendJson(
        res,
        503,
        errorBody('Chat is not available on this server.', 'server_error', 'unavailable'),
      );
      return;
    }
    const route = `${req.method} ${pathname.replace(/\/$/, '')}`;
    if (route !== 'GET /v1/models' && route !== 'POST /v1/chat/completions') {
      sendOpenAINotFound(res, route);
      return;
    }
    const member = authenticate(req, res);
    if (!member) return;
    if (route === 'GET /v1/models') await listModels(res, member);
    else await completions(req, res, member);
  };
}
