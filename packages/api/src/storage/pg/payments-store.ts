// The PostgreSQL adapter of the payments store (drizzle-orm's pg dialect over node-postgres),
// one file per sub-area under ./payments/.
import type { PgDb } from '@tessera/db/pg';
import type { PaymentsStore } from '../payments-store.ts';
import { createPgBilling } from './payments/billing.ts';
import { createPgCodes } from './payments/codes.ts';
import { createPgPacks } from './payments/packs.ts';
import { createPgStripeEvents } from './payments/stripe-events.ts';
import { createPgViews } from './payments/views.ts';

export function createPgPaymentsStore(db: PgDb): PaymentsStore {
  return {
    ...createPgBilling(db),
    ...createPgPacks(db),
    ...createPgStripeEvents(db),
    ...createPgViews(db),
    ...createPgCodes(db),
  };
}
