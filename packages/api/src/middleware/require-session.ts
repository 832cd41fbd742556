import { DomainError } from '../errors.ts';
import { t, toTRPCError } from '../trpc-init.ts';

/** Puts the signed-in user and session on the context, or answers UNAUTHENTICATED. */
export const requireSession = t.middleware(async ({ ctx, next }) => {
  const auth = await ctx.auth();
  if (!auth) throw toTRPCError(new DomainError('UNAUTHENTICATED', 'Sign in to continue.'));
  return next({ ctx: { user: auth.user, session: auth.session } });
});
