// A member's own usage: quotas against limits with their resets, credits, ledger, chart, caps.
import { creditPots, ledgerKinds } from '@tessera/db';
import { z } from 'zod';
import { memberProcedure, router } from '../trpc.ts';

const cap = z
  .number({ error: 'INVALID' })
  .int({ error: 'INVALID' })
  .min(0, { error: 'TOO_SMALL' })
  .max(1_000_000_000_000, { error: 'TOO_LARGE' })
  .nullable();

/** A balance and its two pots (decision 015). */
export const creditsOutput = z.object({
  balance: z.number(),
  reserved: z.number(),
  available: z.number(),
  allowance: z.number(),
  purchased: z.number(),
});

export const ledgerEntryOutput = z.object({
  id: z.number(),
  delta: z.number(),
  balanceAfter: z.number(),
  kind: z.enum(ledgerKinds),
  pot: z.enum(creditPots),
  reference: z.string().nullable(),
  createdAt: z.date(),
});

export const usageRouter = router({
  summary: memberProcedure()
    .output(
      z.object({
        day: z.object({
          requests: z.number(),
          limit: z.number().nullable(),
          planLimit: z.number().nullable(),
          resetsAt: z.date(),
        }),
        month: z.object({
          requests: z.number(),
          limit: z.number().nullable(),
          creditsSpent: z.number(),
          resetsAt: z.date(),
        }),
        requestsPerMinute: z.number().nullable(),
        credits: creditsOutput,
        caps: z.object({
          dailyRequestCap: z.number().nullable(),
          monthlyCreditCap: z.number().nullable(),
        }),
        timeZone: z.string(),
      }),
    )
    .query(async ({ ctx }) => {
      const now = ctx.now();
      // Looking at the balance counts as activity: a due on-demand refill shows up right away.
      await ctx.stores.money.refillUserOnDemand({
        userId: ctx.member.user.id,
        refills: ctx.member.refills,
        now,
        timeZone: ctx.timeZone,
      });
      return ctx.stores.chats.usageSummary({
        userId: ctx.member.user.id,
        entitlements: ctx.member.entitlements,
        now,
        timeZone: ctx.timeZone,
      });
    }),

  daily: memberProcedure()
    .input(z.object({ days: z.number().int().min(1).max(90).default(30) }).optional())
    .output(
      z.array(
        z.object({ day: z.date(), requests: z.number(), credits: z.number(), tokens: z.number() }),
      ),
    )
    .query(({ ctx, input }) =>
      ctx.stores.chats.dailyUsage({
        userId: ctx.member.user.id,
        days: input?.days ?? 30,
        now: ctx.now(),
        timeZone: ctx.timeZone,
      }),
    ),

  ledger: memberProcedure()
    .input(
      z
        .object({
          beforeId: z.number().int().positive().optional(),
          limit: z.number().int().min(1).max(200).optional(),
        })
        .optional(),
    )
    .output(z.object({ entries: z.array(ledgerEntryOutput), nextBeforeId: z.number().nullable() }))
    .query(async ({ ctx, input }) => {
      const page = await ctx.stores.payments.listLedger({ userId: ctx.member.user.id, ...input });
      // An admin's reason for an adjustment is an internal note; the member sees the amount only.
      const entries = page.entries.map((e) =>
        e.kind === 'adjust' || e.kind === 'set' ? { ...e, reference: null } : e,
      );
      return { ...page, entries };
    }),

  setCaps: memberProcedure()
    .input(z.object({ dailyRequestCap: cap, monthlyCreditCap: cap }))
    .output(
      z.object({ dailyRequestCap: z.number().nullable(), monthlyCreditCap: z.number().nullable() }),
    )
    .mutation(({ ctx, input }) =>
      ctx.stores.chats.setPersonalCaps({
        userId: ctx.member.user.id,
        entitlements: ctx.member.entitlements,
        ...input,
        now: ctx.now(),
      }),
    ),
});
