// The vendor console's money views: revenue and subscribers of the vendor's own plans only. Money
// is for the vendor's owners and admins (and platform admins overseeing it), not its staff.
import { z } from 'zod';
import { requireVendorRole } from '../middleware/require-vendor-role.ts';
import { memberProcedure, router } from '../trpc.ts';
import { rangeInput, revenueOutput, subscriptionsOutput } from './money-schemas.ts';
import { idInput } from './schemas.ts';

const tenantInput = z.object({ tenantId: idInput });
const moneyReader = memberProcedure()
  .input(tenantInput)
  .use(requireVendorRole(['owner', 'admin']));

export const vendorMoneyRouter = router({
  revenue: moneyReader
    .input(z.object({ range: rangeInput }))
    .output(revenueOutput)
    .query(({ ctx, input }) =>
      ctx.stores.payments.getRevenue({
        range: input.range,
        tenantId: ctx.tenant.id,
        now: ctx.now(),
        timeZone: ctx.timeZone,
      }),
    ),

  subscribers: moneyReader
    .output(subscriptionsOutput)
    .query(({ ctx }) => ctx.stores.payments.listActiveSubscriptions({ tenantId: ctx.tenant.id })),
});
