// One store contract, every engine (docs/decisions/034). A contract suite is a function of an
// `openEngine` that gives a fresh, migrated database behind the stores plus `sql` for fixtures
// and assertions; `<area>.sqlite.test.ts` runs it on SQLite (in `pnpm test`) and
// `<area>.pg.test.ts` on PostgreSQL (in `pnpm test:scale`).
import type { Stores } from '../../src/storage/stores.ts';

export interface EngineUnderTest {
  readonly name: 'SQLite' | 'PostgreSQL';
  readonly stores: Stores;
  /**
   * Runs one statement written with `$1, $2…` placeholders (translated for SQLite) and returns its
   * rows. Write fixtures in the SQL both engines share: plain inserts, `true`/`false`, integer ms
   * timestamps, JSON as text.
   */
  sql<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export type OpenEngine = () => Promise<EngineUnderTest>;
