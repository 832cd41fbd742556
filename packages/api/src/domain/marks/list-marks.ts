import type { DbOrTx } from '@tessera/db';
import { marks } from '@tessera/db';
import { asc, eq } from 'drizzle-orm';
import { parseStoredEntitlements } from '../entitlements/entitlements.ts';

export function listMarks(db: DbOrTx, tenantId: string) {
  return db
    .select()
    .from(marks)
    .where(eq(marks.tenantId, tenantId))
    .orderBy(asc(marks.key))
    .all()
    .map((m) => ({ ...m, entitlements: parseStoredEntitlements(m.entitlements) }));
}
