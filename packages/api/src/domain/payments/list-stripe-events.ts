import type { DbOrTx } from '@tessera/db';
import { stripeEvents } from '@tessera/db';
import { desc, eq, sql } from 'drizzle-orm';

/**
 * The Stripe event log, newest first, a page at a time. `before` is the id of the last event of
 * the previous page: the cursor is (received_at, id), so events arriving meanwhile never shift a
 * page the way an offset would.
 */
export function listStripeEvents(db: DbOrTx, input: { before?: string; limit?: number } = {}) {
  const limit = input.limit ?? 50;
  const cursor = input.before
    ? db
        .select({ receivedAt: stripeEvents.receivedAt, id: stripeEvents.id })
        .from(stripeEvents)
        .where(eq(stripeEvents.id, input.before))
        .get()
    : undefined;
  if (input.before && !cursor) return { events: [], nextBefore: null };
  const rows = db
    .select()
    .from(stripeEvents)
    .where(
      cursor
        ? sql`(${stripeEvents.receivedAt}, ${stripeEvents.id}) < (${cursor.receivedAt.getTime()}, ${cursor.id})`
        : undefined,
    )
    .orderBy(desc(stripeEvents.receivedAt), desc(stripeEvents.id))
    .limit(limit + 1)
    .all();
  const events = rows.slice(0, limit);
  return { events, nextBefore: rows.length > limit ? (events.at(-1)?.id ?? null) : null };
}
