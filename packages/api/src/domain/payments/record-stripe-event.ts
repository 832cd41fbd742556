import type { DbOrTx, StripeEventOutcome } from '@tessera/db';
import { stripeEvents } from '@tessera/db';
import { eq } from 'drizzle-orm';

/** What the webhook route hands over once the signature holds: the parts every event has. */
export interface VerifiedStripeEvent {
  id: string;
  type: string;
  /** Stripe's `created`, in seconds. */
  created: number;
}

/**
 * Records a verified Stripe event once. The insert and (later) the event's effects share one
 * transaction, so either both happen or neither does, and a redelivery — the same id again, even
 * concurrently from another process — finds the row and is a no-op (`duplicate: true`).
 *
 * No event has effects yet: each is recorded as `ignored` until the handlers for subscriptions,
 * invoices, checkout and refunds arrive (docs/decisions/014-stripe-webhooks.md).
 */
export function recordStripeEvent(
  db: DbOrTx,
  event: VerifiedStripeEvent,
  now: Date,
): { duplicate: boolean; outcome: StripeEventOutcome } {
  return db.transaction((tx) => {
    const inserted = tx
      .insert(stripeEvents)
      .values({
        id: event.id,
        type: event.type,
        created: new Date(event.created * 1000),
        receivedAt: now,
        outcome: 'ignored',
        error: null,
      })
      .onConflictDoNothing()
      .returning({ outcome: stripeEvents.outcome })
      .get();
    if (inserted) return { duplicate: false, outcome: inserted.outcome };
    const existing = tx
      .select({ outcome: stripeEvents.outcome })
      .from(stripeEvents)
      .where(eq(stripeEvents.id, event.id))
      .get();
    return { duplicate: true, outcome: existing?.outcome ?? 'ignored' };
  });
}
