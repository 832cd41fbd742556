import { z } from 'zod';

/** Tenant and mark slugs: lowercase letters, digits and hyphens. Never `:`, which keys reserve. */
export const slugSchema = z
  .string({ error: 'REQUIRED' })
  .trim()
  .min(1, { error: 'REQUIRED' })
  .max(48, { error: 'SLUG_TOO_LONG' })
  .regex(/^[a-z0-9-]+$/, { error: 'SLUG_INVALID' });

/**
 * The platform-wide key of a mark: the bare slug for the platform, `vendor:slug` for a vendor.
 * Since slugs cannot contain `:`, a vendor key can never equal a platform key.
 */
export function markKey(
  tenant: { kind: 'platform' | 'vendor'; slug: string },
  slug: string,
): string {
  return tenant.kind === 'platform' ? slug : `${tenant.slug}:${slug}`;
}
