// Validation messages are codes the SPA translates, never English prose. Schemas give specific
// codes where it helps (`PASSWORD_TOO_SHORT`); everything else gets a generic code from here.
import { z } from 'zod';

type Issue = Parameters<z.core.$ZodErrorMap>[0];

export function validationCode(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'REQUIRED' : 'INVALID';
    case 'too_small':
      return issue.origin === 'string' && issue.minimum === 1 ? 'REQUIRED' : 'TOO_SMALL';
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array' ? 'TOO_LONG' : 'TOO_LARGE';
    case 'unrecognized_keys':
      return 'UNKNOWN_FIELD';
    default:
      return 'INVALID';
  }
}

z.config({ customError: validationCode });
