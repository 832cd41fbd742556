// Buying through Stripe: Checkout for plans and credit packs, the Customer Portal, invoices.
// Wiring only; every Stripe call happens outside database transactions (domain/billing).

import { z } from 'zod';
import type { Context } from '../context.ts';
import { listInvoices } from '../domain/billing/list-invoices.ts';
import { openBillingPortal } from '../domain/billing/open-billing-portal.ts';
import { requireStripe } from '../domain/billing/require-stripe.ts';
import { startCheckout } from '../domain/billing/start-checkout.ts';
import { DomainError } from '../errors.ts';
import { memberProcedure, router } from '../trpc.ts';
import { idInput } from './schemas.ts';

/**
 * Where Stripe sends the buyer back: PUBLIC_URL, else the origin the mutation came from (it passed
 * the origin check, so it names this site or a trusted one), reduced to scheme, host and port.
 */
function returnOrigin(ctx: Context): string {
  const origin = ctx.publicOrigin ?? ctx.request.origin;
  if (origin && URL.canParse(origin)) {
    const parsed = new URL(origin).origin;
    if (parsed !== 'null') return parsed;
  }
  throw new DomainError('PAYMENTS_UNAVAILABLE', 'Set PUBLIC_URL so Stripe can send buyers back.');
}

const urlOutput = z.object({ url: z.string() });

export const billingRouter = router({
  /** Whether Stripe is set up (else the SPA says: redeem a code or ask an admin), and packs on sale. */
  status: memberProcedure()
    .output(
      z.object({
        enabled: z.boolean(),
        packs: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            credits: z.number(),
            priceMinor: z.number(),
            currency: z.string(),
          }),
        ),
      }),
    )
    .query(async ({ ctx }) => ({
      enabled: ctx.stripe !== undefined,
      packs: ctx.stripe
        ? (await ctx.stores.payments.listCreditPacks())
            .filter((p) => p.stripePriceId)
            .map(({ id, name, credits, priceMinor, currency }) => ({
              id,
              name,
              credits,
              priceMinor,
              currency,
            }))
        : [],
    })),

  checkout: memberProcedure()
    .input(z.union([z.strictObject({ planId: idInput }), z.strictObject({ packId: idInput })]))
    .output(urlOutput)
    .mutation(({ ctx, input }) =>
      startCheckout(ctx.stores.payments, requireStripe(ctx.stripe), {
        userId: ctx.member.user.id,
        email: ctx.member.user.email,
        item: input,
        origin: returnOrigin(ctx),
        now: ctx.now(),
      }),
    ),

  portal: memberProcedure()
    .output(urlOutput)
    .mutation(({ ctx }) =>
      openBillingPortal(ctx.stores.payments, requireStripe(ctx.stripe), {
        userId: ctx.member.user.id,
        email: ctx.member.user.email,
        origin: returnOrigin(ctx),
        now: ctx.now(),
      }),
    ),

  invoices: memberProcedure()
    .output(
      z.array(
        z.object({
          id: z.string(),
          number: z.string().nullable(),
          createdAt: z.date(),
          amountMinor: z.number(),
          currency: z.string(),
          status: z.string().nullable(),
          hostedInvoiceUrl: z.string().nullable(),
        }),
      ),
    )
    .query(({ ctx }) =>
      listInvoices(ctx.stores.payments, requireStripe(ctx.stripe), {
        userId: ctx.member.user.id,
        limit: 24,
      }),
    ),
});
