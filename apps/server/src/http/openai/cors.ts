// CORS for browser clients of /v1. Only API keys authenticate here, so a cross-origin request
// carries no ambient authority: allowing an origin lets its pages use keys they already hold, and
// credentials (cookies) are never allowed. Origins come from V1_CORS_ORIGINS (`*` for any).
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Response headers a browser client may read. */
const EXPOSED = [
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
  'retry-after',
  'x-request-id',
  'x-tessera-model',
  'x-tessera-fallback-from',
].join(', ');

/** Request header names a preflight may ask for (the SDKs send several `x-stainless-*`). */
const HEADER_LIST = /^[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*$/;

export function createCors(allowed: readonly string[]) {
  const any = allowed.includes('*');
  const origins = new Set(allowed);

  /** The CORS headers for a response to `req`: none unless its Origin is allowed. */
  function headers(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (!origin || !(any || origins.has(origin))) return origin ? { vary: 'origin' } : {};
    return {
      'access-control-allow-origin': any ? '*' : origin,
      'access-control-expose-headers': EXPOSED,
      vary: 'origin',
    };
  }

  /** Answers an OPTIONS preflight: 204, with the allow headers only for an allowed origin. */
  function preflight(req: IncomingMessage, res: ServerResponse, methods: string) {
    const base = headers(req);
    const requested = req.headers['access-control-request-headers'];
    const allowHeaders =
      typeof requested === 'string' && HEADER_LIST.test(requested.trim())
        ? requested.trim()
        : 'authorization, content-type';
    res.writeHead(204, {
      allow: methods,
      ...base,
      ...('access-control-allow-origin' in base
        ? {
            'access-control-allow-methods': methods,
            'access-control-allow-headers': allowHeaders,
            'access-control-max-age': '600',
          }
        : {}),
    });
    res.end();
  }

  return { headers, preflight };
}

export type Cors = ReturnType<typeof createCors>;
