import type { DbOrTx } from '@tessera/db';
import { creditPacks } from '@tessera/db';
import { asc, eq } from 'drizzle-orm';

/** Credit packs, smallest first; inactive ones only when asked (the admin console, the CLI). */
export function listCreditPacks(db: DbOrTx, options: { includeInactive?: boolean } = {}) {
  return db
    .select()
    .from(creditPacks)
    .where(options.includeInactive ? undefined : eq(creditPacks.active, true))
    .orderBy(asc(creditPacks.credits), asc(creditPacks.priceMinor), asc(creditPacks.id))
    .all();
}
