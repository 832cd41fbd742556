import { router } from '../trpc.ts';
import { adminRouter } from './admin.ts';
import { authRouter } from './auth.ts';
import { membershipRouter } from './membership.ts';
import { usageRouter } from './usage.ts';
import { vendorRouter } from './vendor.ts';

export const appRouter = router({
  auth: authRouter,
  membership: membershipRouter,
  vendor: vendorRouter,
  usage: usageRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
