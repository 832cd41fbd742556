import type { DbOrTx, NewAuditEvent } from '@tessera/db';
import { auditEvents } from '@tessera/db';

/** Writes one audit event. Call it inside the transaction of the change it describes. */
export function recordAudit(db: DbOrTx, event: Omit<NewAuditEvent, 'id'>): void {
  db.insert(auditEvents).values(event).run();
}
