// Phase 2: who is asking (an API key, nothing else: no cookie or session ever counts on /v1), may
// they use the API, does the model exist, and the request window OpenAI's rate-limit headers report.
import type { IncomingMessage } from 'node:http';
import {
  type ApiDeps,
  checkRequirement,
  type MemberContext,
  type Stores,
  sqliteStoresOf,
} from '@tessera/api';
import { domainError, type ErrorBody, errorBody } from './wire.ts';

export type Authorized =
  | { ok: true; member: MemberContext }
  | { ok: false; status: number; body: ErrorBody; member?: MemberContext };

const storesOf = (deps: ApiDeps): Stores => deps.stores ?? sqliteStoresOf(deps.db);

export async function authorize(deps: ApiDeps, req: IncomingMessage): Promise<Authorized> {
  const header = req.headers.authorization ?? '';
  const key = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  const now = deps.now();
  const { members } = storesOf(deps);
  const verified = key ? await members.verifyApiKey(key, now) : null;
  if (!verified) {
    return {
      ok: false,
      status: 401,
      body: errorBody('Invalid or revoked API key.', 'invalid_request_error', 'invalid_api_key'),
    };
  }
  const member = await members.memberForApiKey(verified, now);
  const denial = checkRequirement(member, { apiAccess: true });
  if (denial) return { ok: false, member, ...domainError(denial.code, denial.message) };
  return { ok: true, member };
}

/** 404 `model_not_found` for a model this server has never heard of (outside the plan is 403). */
export async function unknownModel(
  deps: ApiDeps,
  modelId: string,
): Promise<{ status: 404; body: ErrorBody } | null> {
  if (await storesOf(deps).chats.modelById(modelId)) return null;
  return {
    status: 404,
    body: {
      error: {
        message: `The model \`${modelId}\` does not exist or you do not have access to it.`,
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_found',
      },
    },
  };
}

/** Go's duration format, as OpenAI's `x-ratelimit-reset-*` headers use it: `1s`, `6m0s`, `2h3m4s`. */
export function openAIDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** `x-ratelimit-*-requests` for the member's tightest request window now (none if unlimited). */
export async function rateLimitHeaders(
  deps: ApiDeps,
  member: MemberContext,
): Promise<Record<string, string>> {
  const now = deps.now();
  const window = await storesOf(deps).chats.requestWindow({
    userId: member.user.id,
    entitlements: member.entitlements,
    now,
    timeZone: deps.timeZone,
  });
  if (!window) return {};
  return {
    'x-ratelimit-limit-requests': String(window.limit),
    'x-ratelimit-remaining-requests': String(window.remaining),
    'x-ratelimit-reset-requests': openAIDuration(window.resetsAt.getTime() - now.getTime()),
  };
}
