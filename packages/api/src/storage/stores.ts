// Every storage port of the app in one object (docs/decisions/034): routers, HTTP routes, the CLI
// and the scheduler reach storage only through `ctx.stores` / `deps.stores`, never a connection.
// One adapter set per engine: SQLite (`sqliteStoresOf`, today's synchronous code behind resolved
// promises) and PostgreSQL (`createPgStores` in ./pg/pg-stores.ts, loaded only when
// DATABASE_URL selects it, so nothing on SQLite loads node-postgres).
import type { Db } from '@tessera/db';
import type { AccountStore } from './account-store.ts';
import type { AuthStore } from './auth-store.ts';
import type { CatalogStore } from './catalog-store.ts';
import type { ChatStore } from './chats-store.ts';
import type { MemberStore } from './members-store.ts';
import type { MoneyStore } from './money-store.ts';
import type { OpsStore } from './ops-store.ts';
import type { PaymentsStore } from './payments-store.ts';
import { createSqliteAccountStore } from './sqlite/account-store.ts';
import { createSqliteAuthStore } from './sqlite/auth-store.ts';
import { createSqliteCatalogStore } from './sqlite/catalog-store.ts';
import { createSqliteChatStore } from './sqlite/chats-store.ts';
import { createSqliteMemberStore } from './sqlite/members-store.ts';
import { createSqliteOpsStore } from './sqlite/ops-store.ts';
import { createSqlitePaymentsStore } from './sqlite/payments-store.ts';
import { sqliteMoneyStoreOf } from './sqlite-money-store.ts';

export type Engine = 'sqlite' | 'postgres';

export interface Stores {
  readonly engine: Engine;
  readonly money: MoneyStore;
  readonly auth: AuthStore;
  readonly account: AccountStore;
  readonly members: MemberStore;
  readonly catalog: CatalogStore;
  readonly chats: ChatStore;
  readonly payments: PaymentsStore;
  readonly ops: OpsStore;
}

export function createSqliteStores(db: Db): Stores {
  return {
    engine: 'sqlite',
    money: sqliteMoneyStoreOf(db),
    auth: createSqliteAuthStore(db),
    account: createSqliteAccountStore(db),
    members: createSqliteMemberStore(db),
    catalog: createSqliteCatalogStore(db),
    chats: createSqliteChatStore(db),
    payments: createSqlitePaymentsStore(db),
    ops: createSqliteOpsStore(db),
  };
}

const sqliteStores = new WeakMap<Db, Stores>();

/** The SQLite stores of `db`, built once per connection (deps given no stores use these). */
export function sqliteStoresOf(db: Db): Stores {
  let stores = sqliteStores.get(db);
  if (!stores) {
    stores = createSqliteStores(db);
    sqliteStores.set(db, stores);
  }
  return stores;
}
