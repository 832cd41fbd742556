// OpenAI's wire conventions that every /v1 phase shares: the error shape, our status table for
// domain refusals, and writing a JSON response with the headers the request has earned so far.
import type { ServerResponse } from 'node:http';
import { type DomainErrorCode, domainErrorTable } from '@tessera/api';

/** OpenAI's `error.type` for each refusal we can give (invalid_request_error otherwise). */
const OPENAI_TYPES: Partial<Record<DomainErrorCode, string>> = {
  QUOTA_EXCEEDED: 'rate_limit_error',
  RATE_LIMITED: 'rate_limit_error',
  INSUFFICIENT_CREDITS: 'insufficient_quota',
  PLAN_REQUIRED: 'insufficient_quota',
  MODEL_NOT_IN_PLAN: 'permission_error',
  FEATURE_NOT_IN_PLAN: 'permission_error',
  MARK_REQUIRED: 'permission_error',
  EMAIL_NOT_VERIFIED: 'permission_error',
  MODEL_UNAVAILABLE: 'invalid_request_error',
  VALIDATION: 'invalid_request_error',
};

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function errorBody(
  message: string,
  type: string,
  code: string | null,
  extra: Record<string, unknown> = {},
): ErrorBody {
  return { error: { message, type, param: null, code, ...extra } };
}

/** A domain refusal as OpenAI's error: status, body. A switched-off model is not found (404). */
export function domainError(
  code: DomainErrorCode,
  message: string,
  details?: Record<string, unknown>,
): { status: number; body: ErrorBody } {
  const status = code === 'MODEL_UNAVAILABLE' ? 404 : domainErrorTable[code].http;
  return {
    status,
    body: errorBody(
      message,
      OPENAI_TYPES[code] ?? 'invalid_request_error',
      code === 'MODEL_UNAVAILABLE' ? 'model_not_found' : code.toLowerCase(),
      details ? { details } : {},
    ),
  };
}

/** Seconds until a 429 may be retried, from the refusal's details (rate limit or quota window). */
export function retryAfterSeconds(details: Record<string, unknown> | undefined, now: Date) {
  if (typeof details?.retryAfterSeconds === 'number') return details.retryAfterSeconds;
  if (typeof details?.resetsAt === 'string')
    return Math.max(1, Math.ceil((Date.parse(details.resetsAt) - now.getTime()) / 1000));
  return null;
}

export function sendJson(
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

/** What an OpenAI client gets for an endpoint this server does not have. */
export function sendOpenAINotFound(
  res: ServerResponse,
  route: string,
  headers: Record<string, string> = {},
) {
  sendJson(
    res,
    404,
    errorBody(`Unknown endpoint ${route}.`, 'invalid_request_error', 'not_found'),
    headers,
  );
}
