// Input and output shapes shared by routers. Validation messages are codes (see errors.ts) that
// the SPA translates; they are never shown as prose.
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/password.ts';
import { entitlementsSchema } from '../domain/entitlements/entitlements.ts';
import { slugSchema } from '../domain/marks/slug.ts';

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

/** A 6-digit TOTP code or a recovery code (`abcde-fghij`); spaces are ignored. */
export const secondFactorCodeInput = z
  .string({ error: 'REQUIRED' })
  .trim()
  .min(1, { error: 'REQUIRED' })
  .max(32, { error: 'TWO_FACTOR_CODE_INVALID' });

export const viewerOutput = z.object({
  user: userOutput,
  isPlatformAdmin: z.boolean(),
  /** Whether the address is proven (decision 022): the SPA shows a "verify your email" notice. */
  emailVerified: z.boolean(),
});

export const entitlementsOutput = z.object({
  models: z.array(z.string()),
  plugins: z.array(z.string()),
  requestsPerDay: z.number().nullable(),
  requestsPerMonth: z.number().nullable(),
  requestsPerMinute: z.number().nullable(),
  maxOutputTokens: z.number().nullable(),
  apiAccess: z.boolean(),
  seats: z.number(),
  refill: z
    .object({
      amount: z.number(),
      every: z.object({ value: z.number(), unit: z.enum(['hour', 'day', 'week', 'month']) }),
      strategy: z.enum(['reset', 'topup']),
      cap: z.number().optional(),
      mode: z.enum(['scheduled', 'on_demand']),
      grades: z.array(z.object({ minRequests7d: z.number(), amount: z.number() })),
    })
    .nullable(),
  fallbackModel: z.string().nullable(),
});

export const markOutput = z.object({
  id: z.string(),
  tenantId: z.string(),
  slug: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
  entitlements: entitlementsOutput,
  createdAt: z.date(),
  updatedAt: z.date(),
});

/** A mark in a list: with the tenant it belongs to (the admin console lists every tenant's). */
export const markListOutput = markOutput.extend({
  tenantName: z.string(),
  tenantKind: z.enum(['platform', 'vendor']),
});

export const planOutput = z.object({
  id: z.string(),
  /** Stable handle for scripts and Stripe: `pro-monthly`, `acme:writer`. */
  key: z.string(),
  tenantId: z.string(),
  markId: z.string(),
  name: z.string(),
  description: z.string(),
  priceMinor: z.number(),
  currency: z.string(),
  interval: z.enum(['month', 'year', 'once']),
  durationDays: z.number().nullable(),
  trialDays: z.number(),
  seats: z.number().nullable(),
  stripePriceId: z.string().nullable(),
  active: z.boolean(),
  sortOrder: z.number(),
});

export const heldMarkOutput = z.object({
  markId: z.string(),
  markKey: z.string(),
  markName: z.string(),
  tenantId: z.string(),
  tenantName: z.string(),
  startsAt: z.date(),
  expiresAt: z.date().nullable(),
  source: z.string(),
});

export const membershipRecordOutput = z.object({
  id: z.string(),
  markId: z.string(),
  markKey: z.string(),
  markName: z.string(),
  startsAt: z.date(),
  expiresAt: z.date().nullable(),
  status: z.enum(['active', 'expired', 'revoked']),
  source: z.string(),
  reference: z.string().nullable(),
  activeNow: z.boolean(),
});

export const tenantOutput = z.object({
  id: z.string(),
  kind: z.enum(['platform', 'vendor']),
  slug: z.string(),
  name: z.string(),
  createdAt: z.date(),
});

/** A vendor as its console and the admin list show it: suspended or not. */
export const vendorSummaryOutput = tenantOutput.extend({
  suspendedAt: z.date().nullable(),
  suspendedReason: z.string().nullable(),
});

/** A vendor's ceiling: an entitlements object plus the longest trial its plans may give. */
export const ceilingOutput = entitlementsOutput.extend({ trialDays: z.number() });

export const daysInput = z
  .number({ error: 'INVALID' })
  .int({ error: 'INVALID' })
  .min(1, { error: 'TOO_SMALL' })
  .max(36_500, { error: 'TOO_LARGE' });
export const reasonInput = z.string().trim().max(500, { error: 'TOO_LONG' });

/** The editable fields of a mark (admin and vendor consoles share them). */
export const markFieldsInput = {
  slug: slugSchema,
  name: z.string().trim().min(1, { error: 'REQUIRED' }).max(80, { error: 'TOO_LONG' }),
  description: z.string().max(2000, { error: 'TOO_LONG' }).optional(),
  entitlements: entitlementsSchema,
};

/** What would unlock a locked model, plugin or assistant: marks and the plans selling them. */
export const unlockOutput = z.object({
  markKey: z.string(),
  markName: z.string(),
  plans: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      priceMinor: z.number(),
      currency: z.string(),
      interval: z.string(),
      trialDays: z.number(),
    }),
  ),
});

export const tenantMemberOutput = z.object({
  userId: z.string(),
  email: z.string(),
  role: z.enum(['owner', 'admin', 'staff']),
  createdAt: z.date(),
});
