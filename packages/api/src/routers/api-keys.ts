// A member's API keys for /v1. The key itself is returned once, at creation.
import { z } from 'zod';
import { memberProcedure, router } from '../trpc.ts';
import { idInput } from './schemas.ts';

const keyOutput = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});

export const apiKeysRouter = router({
  list: memberProcedure()
    .output(z.object({ apiAccess: z.boolean(), keys: z.array(keyOutput) }))
    .query(async ({ ctx }) => ({
      apiAccess: ctx.member.entitlements.apiAccess,
      keys: await ctx.stores.members.listApiKeys(ctx.member.user.id),
    })),

  /** Requires a plan with API access (402 PLAN_REQUIRED with what unlocks it otherwise). */
  create: memberProcedure({ apiAccess: true })
    .input(
      z.object({
        name: z.string().trim().min(1, { error: 'REQUIRED' }).max(80, { error: 'TOO_LONG' }),
      }),
    )
    .output(z.object({ id: z.string(), name: z.string(), key: z.string(), createdAt: z.date() }))
    .mutation(({ ctx, input }) =>
      ctx.stores.members.createApiKey({
        userId: ctx.member.user.id,
        name: input.name,
        actorUserId: ctx.member.user.id,
        now: ctx.now(),
      }),
    ),

  revoke: memberProcedure()
    .input(z.object({ keyId: idInput }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.stores.members.revokeApiKey({
        userId: ctx.member.user.id,
        keyId: input.keyId,
        now: ctx.now(),
      });
      return { ok: true as const };
    }),
});
