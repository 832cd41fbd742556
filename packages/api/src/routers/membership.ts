// What a member sees of their own membership: held marks, the catalog, trials, live updates.

import { tracked } from '@trpc/server';
import { z } from 'zod';
import { DomainError } from '../errors.ts';
import { memberEventStream } from '../events/member-event-stream.ts';
import { memberProcedure, router } from '../trpc.ts';
import { entitlementsOutput, heldMarkOutput, idInput, planOutput } from './schemas.ts';

/** What `catalog` answers per plan (its type; see `catalog` for why it is not an `.output()`). */
export const catalogPlanOutput = planOutput.extend({
  tenantKind: z.enum(['platform', 'vendor']),
  tenantName: z.string(),
  markKey: z.string(),
  markName: z.string(),
  markDescription: z.string(),
  entitlements: entitlementsOutput,
  held: z.boolean(),
  trialAvailable: z.boolean(),
});
type CatalogPlanOutput = z.infer<typeof catalogPlanOutput>;

export const membershipRouter = router({
  mine: memberProcedure()
    .output(z.object({ marks: z.array(heldMarkOutput), entitlements: entitlementsOutput }))
    .query(({ ctx }) => ({
      marks: ctx.member.memberships.map(({ entitlements: _e, ...m }) => m),
      entitlements: ctx.member.entitlements,
    })),

  /** The member's Stripe subscriptions and what to tell them (a failed payment, an ending). */
  subscriptions: memberProcedure()
    .output(
      z.array(
        z.object({
          id: z.string(),
          planName: z.string(),
          planKey: z.string(),
          status: z.string(),
          currentPeriodEnd: z.date(),
          accessUntil: z.date(),
          cancelAtPeriodEnd: z.boolean(),
          endedAt: z.date().nullable(),
          notice: z.enum(['payment_failed', 'cancels_at_period_end', 'ended']).nullable(),
        }),
      ),
    )
    .query(async ({ ctx }) =>
      (
        await ctx.stores.payments.listMySubscriptions({
          userId: ctx.member.user.id,
          now: ctx.now(),
        })
      ).map((s) => ({
        ...s,
        notice: s.notice as 'payment_failed' | 'cancels_at_period_end' | 'ended' | null,
      })),
    ),

  /**
   * The catalog as the member sees it: fetched by the chat and plans pages on every load. Each
   * plan is built field by field, typed by `catalogPlanOutput`, instead of being checked by
   * `.output()`: the check cost ~45 µs of a ~450 µs request over HTTP, for rows that come from
   * a cache already parsed when it was filled (docs/decisions/031). Nothing else can leak: only
   * the listed fields are sent, and the entitlements are a strict schema's output.
   */
  catalog: memberProcedure().query(async ({ ctx }): Promise<CatalogPlanOutput[]> => {
    const held = new Set(ctx.member.memberships.map((m) => m.markId));
    // The viewer's catalog already shows no trial where they took their tenant's one trial.
    const plans = await ctx.stores.catalog.listCatalog({ viewerId: ctx.member.user.id });
    return plans.map(
      (plan): CatalogPlanOutput => ({
        id: plan.id,
        key: plan.key,
        tenantId: plan.tenantId,
        markId: plan.markId,
        name: plan.name,
        description: plan.description,
        priceMinor: plan.priceMinor,
        currency: plan.currency,
        interval: plan.interval,
        durationDays: plan.durationDays,
        trialDays: plan.trialDays,
        seats: plan.seats,
        stripePriceId: plan.stripePriceId,
        active: plan.active,
        sortOrder: plan.sortOrder,
        tenantKind: plan.tenantKind,
        tenantName: plan.tenantName,
        markKey: plan.markKey,
        markName: plan.markName,
        markDescription: plan.markDescription,
        entitlements: plan.entitlements,
        held: held.has(plan.markId),
        trialAvailable: plan.trialDays > 0 && !held.has(plan.markId),
      }),
    );
  }),

  startTrial: memberProcedure()
    .input(z.object({ planId: idInput }))
    .output(z.object({ markKey: z.string(), expiresAt: z.date().nullable() }))
    .mutation(async ({ ctx, input }) => {
      const { membership, markKey } = await ctx.stores.members.startTrial({
        userId: ctx.member.user.id,
        planId: input.planId,
        now: ctx.now(),
      });
      ctx.events?.poke();
      return { markKey, expiresAt: membership.expiresAt };
    }),

  /** Live membership/credit changes for the signed-in user, from any process (SSE). */
  events: memberProcedure()
    .input(
      z.object({ lastEventId: z.string().max(200, { error: 'TOO_LONG' }).nullish() }).optional(),
    )
    .subscription(async function* ({ ctx, signal }) {
      const bus = ctx.events;
      if (!bus) throw new DomainError('CONFLICT', 'Live events are not available here.');
      const events = memberEventStream(bus, ctx.member.user.id, signal);
      // Subscribed: anything that changes from here on arrives below. Clients refetch on this
      // first message, which also covers changes made between their last fetch and now.
      yield { kind: 'connected' as const, markKey: null };
      for await (const event of events) {
        yield tracked(String(event.id), { kind: event.kind, markKey: event.markKey });
      }
    }),
});
