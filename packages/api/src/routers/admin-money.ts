// Admin: the money views — revenue over time across every tenant, and active subscriptions per plan.
import { z } from 'zod';
import { memberProcedure, router } from '../trpc.ts';
import { rangeInput, revenueOutput, subscriptionsOutput } from './money-schemas.ts';

const adminProcedure = memberProcedure({ platformAdmin: true });

export const adminMoneyRouter = router({
  revenue: adminProcedure
    .input(z.object({ range: rangeInput }))
    .output(revenueOutput)
    .query(({ ctx, input }) =>
      ctx.stores.payments.getRevenue({
        range: input.range,
        tenantId: null,
        now: ctx.now(),
        timeZone: ctx.timeZone,
      }),
    ),

  subscriptions: adminProcedure
    .output(subscriptionsOutput)
    .query(({ ctx }) => ctx.stores.payments.listActiveSubscriptions({ tenantId: null })),
});
