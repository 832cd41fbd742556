// The admin console's vendors: create them, name their owner, set what the platform delegates to
// them (the ceiling) and suspend them. Their marks, plans, assistants and subscribers are seen and
// edited through the vendor console, which platform admins may open for any vendor.
import { z } from 'zod';
import { slugSchema } from '../domain/marks/slug.ts';
import { ceilingSchema } from '../domain/tenancy/ceiling.ts';
import { memberProcedure, router } from '../trpc.ts';
import {
  ceilingOutput,
  emailInput,
  idInput,
  reasonInput,
  tenantMemberOutput,
  tenantOutput,
  vendorSummaryOutput,
} from './schemas.ts';

const adminProcedure = memberProcedure({ platformAdmin: true });
const roleEnum = z.enum(['owner', 'admin', 'staff']);
const vendorInput = z.object({ tenantId: idInput });

export const adminVendorsRouter = router({
  list: adminProcedure
    .output(
      z.array(
        vendorSummaryOutput.extend({
          ownerEmail: z.string().nullable(),
          marks: z.number(),
          plans: z.number(),
          activeSubscribers: z.number(),
        }),
      ),
    )
    .query(({ ctx }) => ctx.stores.catalog.listVendors(ctx.now())),

  members: adminProcedure
    .input(vendorInput)
    .output(z.array(tenantMemberOutput))
    .query(async ({ ctx, input }) => {
      await ctx.stores.catalog.getVendor(input.tenantId);
      return ctx.stores.catalog.listTenantMembers(input.tenantId);
    }),

  /** Add an admin or staff member (an owner is named with setOwner). */
  addMember: adminProcedure
    .input(z.object({ tenantId: idInput, email: emailInput, role: roleEnum }))
    .output(z.object({ userId: z.string(), email: z.string(), role: roleEnum }))
    .mutation(async ({ ctx, input }) => {
      await ctx.stores.catalog.getVendor(input.tenantId);
      const actor = { actorUserId: ctx.member.user.id, now: ctx.now() };
      return input.role === 'owner'
        ? ctx.stores.catalog.setVendorOwner({ ...input, ...actor })
        : ctx.stores.catalog.addTenantMember({ ...input, ...actor });
    }),

  /** Make an account the vendor's owner; the previous owner stays on as an admin. */
  setOwner: adminProcedure
    .input(z.object({ tenantId: idInput, email: emailInput }))
    .output(z.object({ userId: z.string(), email: z.string(), role: roleEnum }))
    .mutation(({ ctx, input }) =>
      ctx.stores.catalog.setVendorOwner({
        ...input,
        actorUserId: ctx.member.user.id,
        now: ctx.now(),
      }),
    ),

  create: adminProcedure
    .input(
      z.object({
        slug: slugSchema,
        name: z.string().trim().min(1, { error: 'REQUIRED' }).max(80),
        ownerEmail: emailInput,
      }),
    )
    .output(tenantOutput)
    .mutation(({ ctx, input }) =>
      ctx.stores.catalog.createVendor({
        ...input,
        actorUserId: ctx.member.user.id,
        now: ctx.now(),
      }),
    ),

  ceiling: adminProcedure
    .input(vendorInput)
    .output(ceilingOutput)
    .query(({ ctx, input }) => ctx.stores.catalog.getVendorCeiling(input.tenantId)),

  /** Replace the ceiling; holders of the vendor's marks are re-checked at once (live streams too). */
  setCeiling: adminProcedure
    .input(z.object({ tenantId: idInput, ceiling: ceilingSchema }))
    .output(ceilingOutput)
    .mutation(async ({ ctx, input }) => {
      const ceiling = await ctx.stores.catalog.setVendorCeiling({
        tenantId: input.tenantId,
        ceiling: input.ceiling,
        actorUserId: ctx.member.user.id,
        now: ctx.now(),
      });
      ctx.events?.poke();
      return ceiling;
    }),

  /** Suspend: the vendor's marks grant nothing from the next request on. Nothing is deleted. */
  suspend: adminProcedure
    .input(z.object({ tenantId: idInput, reason: reasonInput.optional() }))
    .output(z.object({ suspendedAt: z.date().nullable(), suspendedReason: z.string().nullable() }))
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.stores.catalog.setVendorSuspended({
        ...input,
        suspended: true,
        actorUserId: ctx.member.user.id,
        now: ctx.now(),
      });
      ctx.events?.poke();
      return result;
    }),

  reinstate: adminProcedure
    .input(vendorInput)
    .output(z.object({ suspendedAt: z.date().nullable(), suspendedReason: z.string().nullable() }))
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.stores.catalog.setVendorSuspended({
        ...input,
        suspended: false,
        actorUserId: ctx.member.user.id,
        now: ctx.now(),
      });
      ctx.events?.poke();
      return result;
    }),
});
