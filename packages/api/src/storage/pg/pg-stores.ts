// The PostgreSQL adapter set (docs/decisions/034): every port over one pool. Imported only when
// DATABASE_URL selects PostgreSQL.
import type { PgDbHandle } from '@tessera/db/pg';
import type { Stores } from '../stores.ts';
import { createPgAccountStore } from './account-store.ts';
import { createPgAuthStore } from './auth-store.ts';
import { createPgCatalogStore } from './catalog-store.ts';
import { createPgChatStore } from './chats-store.ts';
import { createPgMemberStore } from './members-store.ts';
import { createPgOpsStore } from './ops-store.ts';
import { createPgPaymentsStore } from './payments-store.ts';
import { createPgMoneyStore, type PgMoneyStoreOptions } from './pg-money-store.ts';

export interface PgStoresOptions {
  money?: PgMoneyStoreOptions;
}

export function createPgStores(handle: PgDbHandle, options: PgStoresOptions = {}): Stores {
  const { db, pool } = handle;
  return {
    engine: 'postgres',
    money: createPgMoneyStore(pool, options.money),
    auth: createPgAuthStore(db),
    account: createPgAccountStore(db),
    members: createPgMemberStore(db),
    catalog: createPgCatalogStore(db),
    chats: createPgChatStore(db),
    payments: createPgPaymentsStore(db),
    ops: createPgOpsStore(db),
  };
}
