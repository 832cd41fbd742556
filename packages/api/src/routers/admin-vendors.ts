// The admin console's vendors: create them, name their owner, set what the platform delegates to
// them (the ceiling) and suspend them. Their marks, plans, assistants and subscribers are seen and
// edited through the vendor console, which platform admins may open for any vendor.
import { z } from 'zod';
import { slugSchema } from '../domain/marks/slug.ts';
import { addTenantMember } from '../domain/tenancy/add-tenant-member.ts';
import { ceilingSchema } from '../domain/tenancy/ceiling.ts';
import { createVendor } from '../domain/tenancy/create-vendor.ts';
import { getVendor } from '../domain/tenancy/get-vendor.ts';
import { listTenantMembers } from '../domain/tenancy/list-tenant-members.ts';
import { listVendors } from '../domain/tenancy/list-vendors.ts';
import {
  getVendorCeiling,
  setVendorCeiling,
  setVendorOwner,
  setVendorSuspended,
} from '../domain/tenancy/vendor-trust.ts';
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
    .query(({ ctx }) => listVendors(ctx.db, ctx.now())),

  members: adminProcedure
    .input(vendorInput)
    .output(z.array(tenantMemberOutput))
    .query(({ ctx, input }) => {
      getVendor(ctx.db, input.tenantId);
      return listTenantMembers(ctx.db, input.tenantId);
    }),

  /** Add an admin or staff member (an owner is named with setOwner). */
  addMember: adminProcedure
    .input(z.object({ tenantId: idInput, email: emailInput, role: roleEnum }))
    .output(z.object({ userId: z.string(), email: z.string(), role: roleEnum }))
    .mutation(({ ctx, input }) => {
      getVendor(ctx.db, input.tenantId);
      const actor = { actorUserId: ctx.member.user.id, now: ctx.now() };
      return input.role === 'owner'
        ? setVendorOwner(ctx.db, { ...input, ...actor })
        : addTenantMember(ctx.db, { ...input, ...actor });
    }),

  /** Make an account the vendor's owner; the previous owner stays on as an admin. */
  setOwner: adminProcedure
    .input(z.object({ tenantId: idInput, email: emailInput }))
    .output(z.object({ userId: z.string(), email: z.string(), role: roleEnum }))
    .mutation(({ ctx, input }) =>
      setVendorOwner(ctx.db, { ...input, actorUserId: ctx.member.user.id, now: ctx.now() }),
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
      createVendor(ctx.db, { ...input, actorUserId: ctx.member.user.id, now: ctx.now() }),
    ),

  ceiling: adminProcedure
    .input(vendorInput)
    .output(ceilingOutput)
    .query(({ ctx, input }) => getVendorCeiling(ctx.db, input.tenantId)),

  /** Replace the ceiling; holders of the vendor's marks are re-checked at once (live streams too). */
  setCeiling: adminProcedure
    .input(z.object({ tenantId: idInput, ceiling: ceilingSchema }))
    .output(ceilingOutput)
    .mutation(({ ctx, input }) => {
      const ceiling = setVendorCeiling(ctx.db, {
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
    .mutation(({ ctx, input }) => {
      const result = setVendorSuspended(ctx.db, {
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
    .mutation(({ ctx, input }) => {
      const result = setVendorSuspended(ctx.db, {
        ...input,
        suspended: false,
        actorUserId: ctx.member.user.id,
        now: ctx.now(),
      });
      ctx.events?.poke();
      return result;
    }),
});
