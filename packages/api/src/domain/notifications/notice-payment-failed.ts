// "A payment failed" (Stripe's invoice.payment_failed), in the webhook's transaction (decision
// 025). One mail per invoice: Stripe retries a failing invoice several times, each with its own
// event, and the member needs to hear it once, not once per retry.
import type { DbOrTx } from '@tessera/db';
import { plans, stripeSubscriptions } from '@tessera/db';
import { eq } from 'drizzle-orm';
import { appLink } from '../../mail/app-link.ts';
import { type NotifyResult, notify } from './notify.ts';

export function noticePaymentFailed(
  tx: DbOrTx,
  input: { invoiceId: string; subscriptionId: string | null; baseUrl: string; now: Date },
): NotifyResult | 'unknown_subscription' {
  if (!input.subscriptionId) return 'unknown_subscription';
  const subscription = tx
    .select({ userId: stripeSubscriptions.userId, planName: plans.name })
    .from(stripeSubscriptions)
    .innerJoin(plans, eq(plans.id, stripeSubscriptions.planId))
    .where(eq(stripeSubscriptions.id, input.subscriptionId))
    .get();
  if (!subscription) return 'unknown_subscription';
  return notify(tx, {
    userId: subscription.userId,
    kind: 'payment_failed',
    key: `payment_failed:${input.invoiceId}`,
    params: { link: appLink(input.baseUrl, '/account'), planName: subscription.planName },
    data: { invoiceId: input.invoiceId, planName: subscription.planName },
    now: input.now,
  });
}
