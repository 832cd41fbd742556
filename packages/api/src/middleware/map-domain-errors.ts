import { DomainError } from '../errors.ts';
import { t, toTRPCError } from '../trpc-init.ts';

// tRPC v11's next() never throws: it returns { ok: false, error }. A DomainError thrown by a
// handler arrives wrapped as INTERNAL_SERVER_ERROR with the DomainError as its cause; re-issue it
// with the code from the error table.
export const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (
    !result.ok &&
    result.error.cause instanceof DomainError &&
    result.error.code === 'INTERNAL_SERVER_ERROR'
  ) {
    return { ...result, error: toTRPCError(result.error.cause) };
  }
  return result;
});
