// The tRPC instance and its error formatter. Middleware files build on `t`; routers use the
// ladder in trpc.ts instead of this file.
import { initTRPC, TRPCError } from '@trpc/server';
import type { Context } from './context.ts';
import { DomainError, domainErrorTable } from './errors.ts';
import './lib/zod-codes.ts';

interface ValidationIssue {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
}

/**
 * Zod (or any Standard Schema) issues → `{ 'field.path': [message codes] }`, the full dotted path
 * (`fields.priceMinor`, `entitlements.models.0`) so a form can put each error on its input.
 * Issues about the whole input go under `_form`.
 */
function issuesToFieldErrors(issues: readonly ValidationIssue[]): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of issues) {
    const path = (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p));
    const key = path.length === 0 ? '_form' : path.join('.');
    fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
  }
  return fieldErrors;
}

function validationIssues(cause: unknown): readonly ValidationIssue[] | null {
  if (cause && typeof cause === 'object' && 'issues' in cause && Array.isArray(cause.issues)) {
    return cause.issues as ValidationIssue[];
  }
  return null;
}

export const t = initTRPC.context<Context>().create({
  // Stacks are added below only when the deployment allows it; never by default.
  isDev: false,
  // Keep SSE connections alive through proxies that drop idle streams.
  sse: {
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 20_000 },
  },
  errorFormatter({ shape, error, ctx }) {
    const domain = error.cause instanceof DomainError ? error.cause : null;
    const issues = error.code === 'BAD_REQUEST' ? validationIssues(error.cause) : null;
    const exposeInternals = ctx?.exposeErrorDetails === true;
    const hideMessage = !domain && error.code === 'INTERNAL_SERVER_ERROR' && !exposeInternals;
    const { retryAfterSeconds, fieldErrors, ...details } = domain?.details ?? {};
    return {
      ...shape,
      message: hideMessage ? 'Internal server error' : issues ? 'Invalid input' : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        domainCode: domain?.code ?? (issues ? 'VALIDATION' : null),
        fieldErrors: fieldErrors ?? (issues ? issuesToFieldErrors(issues) : null),
        retryAfterSeconds: retryAfterSeconds ?? null,
        details: Object.keys(details).length > 0 ? details : null,
        ...(exposeInternals ? { stack: error.stack } : {}),
      },
    };
  },
});

export function toTRPCError(error: DomainError): TRPCError {
  return new TRPCError({
    code: domainErrorTable[error.code].trpc,
    message: error.message,
    cause: error,
  });
}
