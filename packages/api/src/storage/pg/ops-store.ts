// The PostgreSQL adapter of the ops store (drizzle-orm's pg dialect over node-postgres), one file
// per sub-area under ./ops/. Writers other areas call inside their own transactions (a member
// event, a mail, an audit row, a notification) are in ./ops/in-transaction.ts.
import type { PgDb } from '@tessera/db/pg';
import type { OpsStore } from '../ops-store.ts';
import { pgAuditMethods } from './ops/audit.ts';
import { pgLeaseMethods } from './ops/leases.ts';
import { pgMailMethods } from './ops/mail.ts';
import { createPgMemberEventBus, currentNoticePg } from './ops/member-event-bus.ts';
import { pgNotificationMethods } from './ops/notifications.ts';

export function createPgOpsStore(db: PgDb): OpsStore {
  return {
    memberEventBus: (options) => createPgMemberEventBus(db.$client, options),
    currentNotice: () => currentNoticePg(db.$client),
    ...pgMailMethods(db),
    ...pgNotificationMethods(db),
    ...pgAuditMethods(db),
    ...pgLeaseMethods(db),
  };
}

export { createPgMemberEventBus, currentNoticePg } from './ops/member-event-bus.ts';
