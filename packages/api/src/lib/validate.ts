import type { z } from 'zod';
import { DomainError } from '../errors.ts';

/**
 * Parses with a zod schema inside domain code, turning failures into a VALIDATION DomainError
 * whose field errors name `field` (or the nested path), so the CLI and the API report them alike.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  field: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? `${field}.${issue.path.join('.')}` : field;
    fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
  }
  throw new DomainError('VALIDATION', `Invalid ${field}.`, { fieldErrors });
}
