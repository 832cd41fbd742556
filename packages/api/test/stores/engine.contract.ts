// The engine harness itself: what a store contract relies on behaves alike on both engines.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { EngineUnderTest, OpenEngine } from './engine.ts';

export function engineContract(openEngine: OpenEngine) {
  let engine: EngineUnderTest;
  beforeEach(async () => {
    engine = await openEngine();
  });
  afterEach(() => engine.close());

  it('runs fixtures in shared SQL, placeholders in any order and repeated', async () => {
    await engine.sql(
      `insert into users (id, email, password_hash, created_at, display_name)
       values ($2, $1, 'x', $3, $2)`,
      ['ada@example.test', 'u1', new Date('2026-03-01T00:00:00Z')],
    );
    const rows = await engine.sql<{ id: string; email: string; created_at: number | string }>(
      'select id, email, created_at from users where id = $1 and display_name = $1',
      ['u1'],
    );
    expect(rows.map((r) => ({ ...r, created_at: Number(r.created_at) }))).toEqual([
      { id: 'u1', email: 'ada@example.test', created_at: Date.parse('2026-03-01T00:00:00Z') },
    ]);
    expect(engine.stores.engine).toBe(engine.name === 'SQLite' ? 'sqlite' : 'postgres');
  });
}
