// The OpenAI-compatible API: GET /v1/models and POST /v1/chat/completions (streaming and not),
// authenticated by API keys and run by the same chat engine as the SPA — same admission, same
// cut-off, same settlement. A completion goes through four phases, each in its own file:
// parse (parse.ts) → authorize (authorize.ts) → stream (stream.ts) → frame (translate.ts).
// Errors use OpenAI's shape (wire.ts); CORS for browser clients (cors.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiDeps, type MemberContext, sqliteStoresOf } from '@tessera/api';
import type { Logger } from '../../logger.ts';
import { authorize, rateLimitHeaders, unknownModel } from './authorize.ts';
import { createCors } from './cors.ts';
import { readCompletion } from './parse.ts';
import { streamCompletion } from './stream.ts';
import { errorBody, sendJson, sendOpenAINotFound } from './wire.ts';

const METHODS: Record<string, string> = {
  '/v1/models': 'GET, OPTIONS',
  '/v1/chat/completions': 'POST, OPTIONS',
};

export function createOpenAIApiHandler(options: {
  deps: ApiDeps;
  logger: Logger;
  /** Origins browser clients may call /v1 from (`*` for any); none by default. */
  corsOrigins?: readonly string[];
}) {
  const { deps } = options;
  const cors = createCors(options.corsOrigins ?? []);

  const chats = (deps.stores ?? sqliteStoresOf(deps.db)).chats;

  async function listModels(
    res: ServerResponse,
    member: MemberContext,
    headers: Record<string, string>,
  ) {
    const rows = await chats.apiModels();
    const data = rows
      .filter((m) => member.entitlements.models.includes(m.id))
      .map((m) => ({
        id: m.id,
        object: 'model',
        created: Math.floor(m.createdAt / 1000),
        owned_by: 'tessera',
      }));
    sendJson(res, 200, { object: 'list', data }, headers);
  }

  return async function handleOpenAI(req: IncomingMessage, res: ServerResponse, pathname: string) {
    const path = pathname.replace(/\/$/, '');
    const corsHeaders = cors.headers(req);
    if (req.method === 'OPTIONS' && METHODS[path]) {
      cors.preflight(req, res, METHODS[path]);
      return;
    }
    if (!deps.providers) {
      sendJson(
        res,
        503,
        errorBody('Chat is not available on this server.', 'server_error', 'unavailable'),
        corsHeaders,
      );
      return;
    }
    const route = `${req.method} ${path}`;
    if (route !== 'GET /v1/models' && route !== 'POST /v1/chat/completions') {
      sendOpenAINotFound(res, route, corsHeaders);
      return;
    }
    const auth = await authorize(deps, req);
    if (!auth.ok) {
      const limits = auth.member ? await rateLimitHeaders(deps, auth.member) : {};
      sendJson(res, auth.status, auth.body, { ...corsHeaders, ...limits });
      return;
    }
    const { member } = auth;
    // Read when a response starts: after admission the window counts this request.
    const headers = async () => ({ ...corsHeaders, ...(await rateLimitHeaders(deps, member)) });
    if (route === 'GET /v1/models') {
      await listModels(res, member, await headers());
      return;
    }
    const parsed = await readCompletion(req);
    if (!parsed.ok) {
      sendJson(res, parsed.status, parsed.body, await headers());
      return;
    }
    const missing = await unknownModel(deps, parsed.request.model);
    if (missing) {
      sendJson(res, missing.status, missing.body, await headers());
      return;
    }
    await streamCompletion({
      deps,
      req,
      res,
      member,
      body: parsed.request,
      headers,
      logger: options.logger,
    });
  };
}
