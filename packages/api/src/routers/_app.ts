import { router } from '../trpc.ts';
import { adminRouter } from './admin.ts';
import { apiKeysRouter } from './api-keys.ts';
import { authRouter } from './auth.ts';
import { billingRouter } from './billing.ts';
import { chatRouter } from './chat.ts';
import { codesRouter } from './codes.ts';
import { membershipRouter } from './membership.ts';
import { notificationsRouter } from './notifications.ts';
import { privacyRouter } from './privacy.ts';
import { signupRouter } from './signup.ts';
import { twoFactorRouter } from './two-factor.ts';
import { usageRouter } from './usage.ts';
import { vendorRouter } from './vendor.ts';

export const appRouter = router({
  auth: authRouter,
  twoFactor: twoFactorRouter,
  membership: membershipRouter,
  vendor: vendorRouter,
  usage: usageRouter,
  billing: billingRouter,
  chat: chatRouter,
  apiKeys: apiKeysRouter,
  codes: codesRouter,
  signup: signupRouter,
  admin: adminRouter,
  notifications: notificationsRouter,
  privacy: privacyRouter,
});

export type AppRouter = typeof appRouter;
