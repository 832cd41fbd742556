// Input and output shapes shared by routers. Validation messages are codes (see errors.ts) that
// the SPA translates; they are never shown as prose.
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/password.ts';

export const emailInput = z
  .string({ error: 'REQUIRED' })
  .trim()
  .min(1, { error: 'REQUIRED' })
  .max(254, { error: 'EMAIL_INVALID' })
  .pipe(z.email({ error: 'EMAIL_INVALID' }));

export const newPasswordInput = z
  .string({ error: 'REQUIRED' })
  .min(PASSWORD_MIN_LENGTH, { error: 'PASSWORD_TOO_SHORT' })
  .max(PASSWORD_MAX_LENGTH * 2, { error: 'PASSWORD_TOO_LONG' }); // exact code-point limit in the domain

/** Sign-in accepts any non-empty password up to a sane size; the policy applies at sign-up only. */
export const existingPasswordInput = z
  .string({ error: 'REQUIRED' })
  .min(1, { error: 'REQUIRED' })
  .max(1024, { error: 'PASSWORD_TOO_LONG' });

export const idInput = z
  .string({ error: 'REQUIRED' })
  .min(1, { error: 'REQUIRED' })
  .max(64, { error: 'INVALID' });

export const userOutput = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string().nullable(),
  createdAt: z.date(),
});

export const viewerOutput = z.object({ user: userOutput, isPlatformAdmin: z.boolean() });
