import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ApiDeps,
  appRouter,
  type CookieJar,
  createContext,
  isTrustedRequestOrigin,
  MAX_IMAGE_DATA_URL_LENGTH,
  readCookie,
  serializeCookie,
} from '@tessera/api';
import type { AnyTRPCRouter } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import type { Logger } from '../logger.ts';
import { requestMeta } from './request-meta.ts';
import { serveSseSubscription } from './sse-subscription.ts';

export const TRPC_PREFIX = '/trpc/';

// Reads the one cookie asked for, when asked: a public procedure never parses the Cookie header.
function cookieJar(req: IncomingMessage, res: ServerResponse): CookieJar {
  return {
    get: (name) => readCookie(req.headers.cookie, name),
    set: (name, value, options) =>
      res.appendHeader('set-cookie', serializeCookie(name, value, options)),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The one procedure whose body may be large: alone in its request (the SPA never batches it). */
const IMAGE_UPLOAD_PATH = 'chat.images.upload';
const IMAGE_UPLOAD_BODY_LIMIT = MAX_IMAGE_DATA_URL_LENGTH + 4096;

/** The path as a router would read it (an escaped `.` must not hide a subscription). */
function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export function createTrpcHandler(options: {
  deps: ApiDeps;
  trustedOrigins: string[];
  trustProxy: boolean;
  logger: Logger;
  /** What to serve; the app router unless a benchmark brings its own (same context, same checks). */
  router?: AnyTRPCRouter;
}) {
  const router = options.router ?? appRouter;
  // Subscriptions start with a GET that may spend money: the origin check holds them to more.
  const procedures = router._def.procedures as Record<string, { _def: { type: string } }>;
  const subscriptions = new Set(
    Object.keys(procedures).filter((path) => procedures[path]?._def.type === 'subscription'),
  );
  return async function handleTrpc(req: IncomingMessage, res: ServerResponse, pathname: string) {
    const path = pathname.slice(TRPC_PREFIX.length);
    const trusted = isTrustedRequestOrigin({
      method: req.method ?? 'GET',
      origin: header(req, 'origin'),
      host: header(req, 'host'),
      secFetchSite: header(req, 'sec-fetch-site'),
      trustedOrigins: options.trustedOrigins,
      subscription: safeDecode(path)
        .split(',')
        .some((p) => subscriptions.has(p)),
    });
    if (!trusted) {
      res.writeHead(403, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          error: {
            message: 'Cross-site request refused.',
            code: -32003,
            data: { code: 'FORBIDDEN', httpStatus: 403, domainCode: 'CSRF_REJECTED' },
          },
        }),
      );
      return;
    }
    const context = () =>
      createContext(options.deps, cookieJar(req, res), requestMeta(req, options.trustProxy));
    const onError = ({ error, path }: { error: { code: string }; path?: string }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        options.logger.error({ err: error, path }, 'procedure failed');
    };
    // A subscription (the chat stream) is written straight to the response: same procedure, same
    // bytes, without tRPC's web streams per connection (docs/decisions/036).
    if (req.method === 'GET' && subscriptions.has(path)) {
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const opts = { router, createContext: context, onError };
      if (await serveSseSubscription(req, res, path, query, opts)) return;
    }
    await nodeHTTPRequestHandler({
      router,
      req,
      res,
      path,
      // An image upload carries up to 5 MB as base64 (decision 026); everything else stays small.
      maxBodySize: safeDecode(path) === IMAGE_UPLOAD_PATH ? IMAGE_UPLOAD_BODY_LIMIT : 1_000_000,
      createContext: context,
      onError,
    });
  };
}
