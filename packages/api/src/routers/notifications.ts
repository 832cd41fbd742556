// Account → Notifications: which mails the user wants (decision 025). Wiring only.
import { notificationKinds } from '@tessera/db';
import { z } from 'zod';
import { authedProcedure, router } from '../trpc.ts';

const settingsOutput = z.object({
  creditsLow: z.boolean(),
  creditsLowThreshold: z.number().int(),
  membershipEnding: z.boolean(),
  trialEnding: z.boolean(),
  paymentFailed: z.boolean(),
});

export const notificationsRouter = router({
  settings: authedProcedure
    .output(settingsOutput)
    .query(({ ctx }) => ctx.stores.ops.notificationSettings(ctx.user.id)),

  update: authedProcedure
    .input(
      z.object({
        creditsLow: z.boolean().optional(),
        creditsLowThreshold: z.number().int().min(0).max(1_000_000_000_000).optional(),
        membershipEnding: z.boolean().optional(),
        trialEnding: z.boolean().optional(),
        paymentFailed: z.boolean().optional(),
      }),
    )
    .output(settingsOutput)
    .mutation(({ ctx, input }) =>
      ctx.stores.ops.updateNotificationSettings({
        userId: ctx.user.id,
        patch: input,
        now: ctx.now(),
      }),
    ),

  /** The latest notifications sent to the user, newest first. */
  list: authedProcedure
    .output(
      z.array(
        z.object({
          kind: z.enum(notificationKinds),
          data: z.record(z.string(), z.unknown()).nullable(),
          createdAt: z.date(),
        }),
      ),
    )
    .query(({ ctx }) => ctx.stores.ops.listNotifications({ userId: ctx.user.id })),
});
