import { DomainError } from '../errors.ts';
import { t, toTRPCError } from '../trpc-init.ts';

// tRPC v11's next() never throws: it returns { ok: false, error }. A DomainError thrown by a
// handler arrives wrapped as INTERNAL_SERVER_ERROR with the DomainError as its cause; re-issue it
// with the code from the error table.
export const mapDomainErrors = t.middleware(async ({ next }) => mapResult(await next()));

/** The mapping itself, for middlewares that wrap `next()` anyway (one level instead of two). */
export function mapResult<R extends { ok: boolean }>(result: R): R {
  if (result.ok) return result;
  const { error } = result as R & { error: { cause?: unknown; code?: string } };
  if (error.cause instanceof DomainError && error.code === 'INTERNAL_SERVER_ERROR') {
    return { ...result, error: toTRPCError(error.cause) };
  }
  return result;
}
