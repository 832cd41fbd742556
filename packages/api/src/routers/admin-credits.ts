// Admin: credit adjustments, a user's ledger, refill previews, runs and "run now".
import { creditPots } from '@tessera/db';
import { z } from 'zod';
import { adjustCreditsThrough } from '../domain/credits/adjust-credits.ts';
import { NO_ENTITLEMENTS, refillPolicySchema } from '../domain/entitlements/entitlements.ts';
import { memberProcedure, router } from '../trpc.ts';
import { idInput, reasonInput } from './schemas.ts';
import { creditsOutput, ledgerEntryOutput } from './usage.ts';

const adminProcedure = memberProcedure({ platformAdmin: true });

const runOutput = z.object({
  id: z.number(),
  trigger: z.enum(['scheduled', 'admin', 'cli']),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  usersScanned: z.number(),
  usersRefilled: z.number(),
  creditsGranted: z.number(),
  error: z.string().nullable(),
});

export const adminCreditsRouter = router({
  account: adminProcedure
    .input(z.object({ userId: idInput, beforeId: z.number().int().positive().optional() }))
    .output(
      z.object({
        credits: creditsOutput,
        entries: z.array(ledgerEntryOutput),
        nextBeforeId: z.number().nullable(),
      }),
    )
    .query(async ({ ctx, input }) => ({
      ...(await ctx.stores.payments.listLedger({ userId: input.userId, beforeId: input.beforeId })),
      credits: (
        await ctx.stores.chats.usageSummary({
          userId: input.userId,
          entitlements: NO_ENTITLEMENTS,
          now: ctx.now(),
          timeZone: ctx.timeZone,
        })
      ).credits,
    })),

  adjust: adminProcedure
    .input(
      z.object({
        userId: idInput,
        mode: z.enum(['add', 'set']),
        pot: z.enum(creditPots).default('allowance'),
        amount: z
          .number({ error: 'INVALID' })
          .int({ error: 'INVALID' })
          .min(-1_000_000_000_000)
          .max(1_000_000_000_000),
        reason: reasonInput.min(1, { error: 'REQUIRED' }),
        /** The SPA sends one per form submission, so a double click applies once. */
        idempotencyKey: z.string().min(8).max(100),
      }),
    )
    .output(
      z.object({
        applied: z.boolean(),
        pot: z.enum(creditPots),
        balance: z.number().optional(),
        delta: z.number().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const result = await adjustCreditsThrough((move) => ctx.stores.money.moveCredits(move), {
        ...input,
        actorUserId: ctx.member.user.id,
        now: ctx.now(),
      });
      ctx.events?.poke();
      return result;
    }),

  previewRefill: adminProcedure
    .input(z.object({ markId: idInput, policy: refillPolicySchema.unwrap() }))
    .output(
      z.object({
        holders: z.number(),
        groups: z.array(z.object({ amount: z.number(), users: z.number() })),
        strategy: z.enum(['reset', 'topup']),
        mode: z.enum(['scheduled', 'on_demand']),
        nextRefillAt: z.date(),
      }),
    )
    .query(({ ctx, input }) =>
      ctx.stores.payments.previewRefill({ ...input, now: ctx.now(), timeZone: ctx.timeZone }),
    ),

  runRefill: adminProcedure
    .input(z.object({ includeOnDemand: z.boolean().default(false) }))
    .output(
      z.object({
        runId: z.number(),
        usersScanned: z.number(),
        usersRefilled: z.number(),
        creditsGranted: z.number(),
        error: z.string().nullable(),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.stores.money.runScheduledRefills({
        trigger: 'admin',
        actorUserId: ctx.member.user.id,
        includeOnDemand: input.includeOnDemand,
        now: ctx.now(),
        timeZone: ctx.timeZone,
      }),
    ),

  refillRuns: adminProcedure
    .output(z.array(runOutput))
    .query(({ ctx }) => ctx.stores.payments.listRefillRuns({ limit: 50 })),
});
