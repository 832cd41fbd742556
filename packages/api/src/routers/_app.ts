import { router } from '../trpc.ts';
import { adminRouter } from './admin.ts';
import { authRouter } from './auth.ts';
import { membershipRouter } from './membership.ts';
import { vendorRouter } from './vendor.ts';

export const appRouter = router({
  auth: authRouter,
  membership: membershipRouter,
  vendor: vendorRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
