// The "membership ending" sweep's query plan on SQLite: it walks the partial index of active
// memberships with an end. About SQLite's planner, so SQLite only (not in tests-on-postgres.ts).
import { ENDING_MEMBERSHIPS_SQL, ENDING_WINDOW_MS } from '@tessera/api';
import { createTestDb } from '@tessera/db/testing';
import { expect, it } from 'vitest';

const DAY = 86_400_000;

it('walks the partial index of active memberships with an end, over a 3-day window', () => {
  expect(ENDING_WINDOW_MS).toBe(3 * DAY);
  const db = createTestDb();
  try {
    const plan = db.sqlite
      .prepare(`explain query plan ${ENDING_MEMBERSHIPS_SQL}`)
      .all(0, ENDING_WINDOW_MS, 500) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(
      /SEARCH m USING INDEX memberships_active_expiry_idx/,
    );
  } finally {
    db.destroy();
  }
});
