import type { DbOrTx } from '@tessera/db';
import { marks } from '@tessera/db';
import { eq } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';

export function getMarkByKey(db: DbOrTx, key: string) {
  const mark = db
    .select({ id: marks.id, key: marks.key, name: marks.name, tenantId: marks.tenantId })
    .from(marks)
    .where(eq(marks.key, key))
    .get();
  if (!mark) throw new DomainError('NOT_FOUND', `No mark with the key "${key}".`);
  return mark;
}
