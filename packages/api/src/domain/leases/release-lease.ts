// Giving a named lease up on a clean shutdown (docs/decisions/030), so another instance takes
// over at its next tick instead of waiting out the ttl. Only the holder's own row is deleted.
import type { Db } from '@tessera/db';

/** Gives a lease up (a clean shutdown), so another instance takes over at once, not after the ttl. */
export function releaseLease(db: Db, input: { name: string; holder: string }): boolean {
  return (
    db.$client
      .prepare<[string, string]>('delete from leases where name = ? and holder = ?')
      .run(input.name, input.holder).changes === 1
  );
}
