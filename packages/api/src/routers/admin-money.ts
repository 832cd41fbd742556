// Admin: the money views — revenue over time across every tenant, and active subscriptions per plan.
import { z } from 'zod';
import { getRevenue } from '../domain/payments/get-revenue.ts';
import { listActiveSubscriptions } from '../domain/payments/list-active-subscriptions.ts';
import { memberProcedure, router } from '../trpc.ts';
import { rangeInput, revenueOutput, subscriptionsOutput } from './money-schemas.ts';

const adminProcedure = memberProcedure({ platformAdmin: true });

export const adminMoneyRouter = router({
  revenue: adminProcedure
    .input(z.object({ range: rangeInput }))
    .output(revenueOutput)
    .query(({ ctx, input }) =>
      getRevenue(ctx.db, {
        range: input.range,
        tenantId: null,
        now: ctx.now(),
        timeZone: ctx.timeZone,
      }),
    ),

  subscriptions: adminProcedure
    .output(subscriptionsOutput)
    .query(({ ctx }) => listActiveSubscriptions(ctx.db, { tenantId: null })),
});
