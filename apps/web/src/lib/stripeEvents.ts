import type { RouterOutputs } from './trpc.ts';

/** The Stripe webhook event log as the admin pages through it (see pages/admin/StripeEventsCard). */

export type StripeEventPage = RouterOutputs['admin']['stripe']['events'];
export type StripeEventRow = StripeEventPage['events'][number];
export type StripeEventOutcome = StripeEventRow['outcome'];

export const STRIPE_EVENTS_PAGE_SIZE = 25;

/** The cursor of the page after `page`: its last event's id, or undefined at the end of the log. */
export function nextEventsCursor(page: Pick<StripeEventPage, 'nextBefore'>): string | undefined {
  return page.nextBefore ?? undefined;
}

/**
 * The pages loaded so far as one list, newest first. The server's cursor is (received, id), so
 * events arriving meanwhile land before page 1 and never shift a later page: no overlap to drop.
 */
export function eventsOfPages(pages: readonly Pick<StripeEventPage, 'events'>[]): StripeEventRow[] {
  return pages.flatMap((page) => page.events);
}

/** The tag colour of an outcome: applied green, failed red, ignored (no handler yet) grey. */
export function outcomeColor(outcome: StripeEventOutcome): string {
  if (outcome === 'applied') return 'green';
  if (outcome === 'failed') return 'red';
  return 'default';
}
