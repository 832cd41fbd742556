// tRPC lives here and in routers/ and middleware/ only. Routers may use exactly the builders
// exported below: publicProcedure → authedProcedure → memberProcedure(requirement).
import { initTRPC, TRPCError } from '@trpc/server';
import type { Context } from './context.ts';
import { DomainError, domainErrorTable } from './errors.ts';
import { checkRequirement, type MemberRequirement } from './member/check-requirement.ts';
import { buildMemberContext } from './member/member-context.ts';

interface ValidationIssue {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
}

/** Zod (or any Standard Schema) issues → `{ field: [message codes] }`; top-level issues under `_form`. */
function issuesToFieldErrors(issues: readonly ValidationIssue[]): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of issues) {
    const first = issue.path?.[0];
    const key =
      first === undefined ? '_form' : String(typeof first === 'object' ? first.key : first);
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

const t = initTRPC.context<Context>().create({
  // Stacks are added below only when the deployment allows it; never by default.
  isDev: false,
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

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export function toTRPCError(error: DomainError): TRPCError {
  return new TRPCError({
    code: domainErrorTable[error.code].trpc,
    message: error.message,
    cause: error,
  });
}

// tRPC v11's next() never throws: it returns { ok: false, error }. Domain errors arrive wrapped
// as INTERNAL_SERVER_ERROR with the DomainError as cause; re-issue them with their real code.
const mapDomainErrors = t.middleware(async ({ next }) => {
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

export const publicProcedure = t.procedure.use(mapDomainErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  const auth = ctx.auth();
  if (!auth) throw toTRPCError(new DomainError('UNAUTHENTICATED', 'Sign in to continue.'));
  return next({ ctx: { user: auth.user, session: auth.session } });
});

/** A procedure that needs a member context and, optionally, a requirement the member must meet. */
export function memberProcedure(requirement: MemberRequirement = {}) {
  return authedProcedure.use(({ ctx, next }) => {
    const member = buildMemberContext(ctx.db, { user: ctx.user, session: ctx.session });
    const denial = checkRequirement(member, requirement);
    if (denial) throw toTRPCError(new DomainError(denial.code, denial.message, denial.details));
    return next({ ctx: { member } });
  });
}
