import { DomainError } from '../errors.ts';
import { screenInput } from '../lib/screen-input.ts';
import { t, toTRPCError } from '../trpc-init.ts';

/** Refuses hostile keys and characters anywhere in the raw input (see lib/screen-input.ts). */
export const rejectHostileInput = t.middleware(async ({ getRawInput, next }) => {
  let raw: unknown;
  try {
    raw = await getRawInput();
  } catch {
    // An unreadable body (e.g. empty, for a procedure that takes no input) is left to tRPC: a
    // procedure with an input answers 400 when it reads it, one without never does.
    return next();
  }
  const fieldErrors = screenInput(raw);
  if (fieldErrors) {
    throw toTRPCError(new DomainError('VALIDATION', 'Invalid input.', { fieldErrors }));
  }
  return next();
});
