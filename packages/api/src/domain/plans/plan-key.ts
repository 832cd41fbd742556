import type { DbOrTx } from '@tessera/db';
import { plans } from '@tessera/db';
import { like } from 'drizzle-orm';
import { validate } from '../../lib/validate.ts';
import { markKey, slugSchema } from '../marks/slug.ts';
import type { TenantLimits } from '../tenancy/tenant-ceiling.ts';
import { slugFromName } from './plan-input.ts';

/** The key of a plan whose slug the caller gave (validated; a duplicate is a CONFLICT at insert). */
export function givenPlanKey(
  tenant: Pick<TenantLimits, 'kind' | 'slug'>,
  given: string,
): { slug: string; key: string } {
  const slug = validate(slugSchema, given, 'slug');
  return { slug, key: markKey(tenant, slug) };
}

/**
 * The slug and platform-wide key of a new plan (the same rule as mark keys: `pro-monthly`,
 * `acme:writer`). A slug given by the caller is taken as is, so a duplicate is a CONFLICT at
 * insert; one derived from the name gets the first free `-2`, `-3`… instead, because a plan
 * created from a form should not fail over a name its tenant already used. Run it inside the
 * inserting transaction (IMMEDIATE), so the free slug is still free at the insert.
 */
export function newPlanKey(
  tx: DbOrTx,
  tenant: Pick<TenantLimits, 'kind' | 'slug'>,
  input: { slug?: string; name: string },
): { slug: string; key: string } {
  if (input.slug !== undefined) return givenPlanKey(tenant, input.slug);
  const prefix = derivedKeyPrefix(tenant, input.name);
  const taken = new Set(
    tx
      .select({ key: plans.key })
      .from(plans)
      .where(like(plans.key, `${prefix}%`))
      .all()
      .map((row) => row.key),
  );
  return freeDerivedKey(tenant, input.name, taken);
}

/** What every key derived from `name` starts with: the keys to read before `freeDerivedKey`. */
export function derivedKeyPrefix(tenant: Pick<TenantLimits, 'kind' | 'slug'>, name: string) {
  return markKey(tenant, slugFromName(name));
}

/** The first of `name`'s slug, `-2`, `-3`… whose key is not in `taken`. */
export function freeDerivedKey(
  tenant: Pick<TenantLimits, 'kind' | 'slug'>,
  name: string,
  taken: ReadonlySet<string>,
): { slug: string; key: string } {
  const base = slugFromName(name);
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    const key = markKey(tenant, slug);
    if (!taken.has(key)) return { slug, key };
  }
}
