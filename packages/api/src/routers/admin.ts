// The platform admin console: users and their marks, platform marks and plans, vendors, audit.
import { PLATFORM_TENANT_ID } from '@tessera/db';
import { z } from 'zod';
import { listAudit } from '../domain/audit/list-audit.ts';
import { createMark } from '../domain/marks/create-mark.ts';
import { listMarks } from '../domain/marks/list-marks.ts';
import { slugSchema } from '../domain/marks/slug.ts';
import { updateMark } from '../domain/marks/update-mark.ts';
import { grantMark } from '../domain/memberships/grant-mark.ts';
import { listUserMemberships } from '../domain/memberships/list-user-memberships.ts';
import { revokeMark } from '../domain/memberships/revoke-mark.ts';
import { listCatalog } from '../domain/plans/list-catalog.ts';
import { planFieldsSchema } from '../domain/plans/plan-input.ts';
import { createPlan, updatePlan } from '../domain/plans/save-plan.ts';
import { addTenantMember } from '../domain/tenancy/add-tenant-member.ts';
import { createVendor } from '../domain/tenancy/create-vendor.ts';
import { getVendor } from '../domain/tenancy/get-vendor.ts';
import { listTenantMembers } from '../domain/tenancy/list-tenant-members.ts';
import { listUserRoles } from '../domain/tenancy/list-user-roles.ts';
import { listVendors } from '../domain/tenancy/list-vendors.ts';
import { getUser } from '../domain/users/get-user.ts';
import { listUsers } from '../domain/users/list-users.ts';
import { memberProcedure, router } from '../trpc.ts';
import { adminCreditsRouter } from './admin-credits.ts';
import { adminModelsRouter } from './admin-models.ts';
import {
  daysInput,
  emailInput,
  idInput,
  markFieldsInput,
  markOutput,
  membershipRecordOutput,
  planOutput,
  reasonInput,
  tenantMemberOutput,
  tenantOutput,
  userOutput,
} from './schemas.ts';

const adminProcedure = memberProcedure({ platformAdmin: true });
const roleEnum = z.enum(['owner', 'admin', 'staff']);

const roleOutput = z.object({ tenantId: z.string(), role: z.enum(['owner', 'admin', 'staff']) });
const adminUserOutput = userOutput.extend({ roles: z.array(roleOutput) });
const membershipChangeInput = z.object({
  userId: idInput,
  markId: idInput,
  reason: reasonInput.optional(),
});
const changeOutput = z.object({ markKey: z.string(), expiresAt: z.date().nullable() });

export const adminRouter = router({
  credits: adminCreditsRouter,
  models: adminModelsRouter,
  users: router({
    list: adminProcedure
      .input(z.object({ search: z.string().max(254, { error: 'TOO_LONG' }).optional() }).optional())
      .output(z.array(adminUserOutput))
      .query(({ ctx, input }) => listUsers(ctx.db, { search: input?.search })),

    byId: adminProcedure
      .input(z.object({ userId: idInput }))
      .output(adminUserOutput.extend({ memberships: z.array(membershipRecordOutput) }))
      .query(({ ctx, input }) => ({
        ...getUser(ctx.db, input.userId),
        roles: listUserRoles(ctx.db, input.userId).map(({ tenantId, role }) => ({
          tenantId,
          role,
        })),
        memberships: listUserMemberships(ctx.db, { userId: input.userId, now: ctx.now() }),
      })),
  }),

  memberships: router({
    grant: adminProcedure
      .input(membershipChangeInput.extend({ days: daysInput.nullable() }))
      .output(changeOutput)
      .mutation(({ ctx, input }) => {
        const result = grantMark(ctx.db, {
          ...input,
          source: 'admin',
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        });
        ctx.events?.poke();
        return { markKey: result.markKey, expiresAt: result.membership.expiresAt };
      }),

    extend: adminProcedure
      .input(membershipChangeInput.extend({ days: daysInput }))
      .output(changeOutput)
      .mutation(({ ctx, input }) => {
        const result = grantMark(ctx.db, {
          ...input,
          source: 'admin',
          mode: 'extend',
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        });
        ctx.events?.poke();
        return { markKey: result.markKey, expiresAt: result.membership.expiresAt };
      }),

    revoke: adminProcedure
      .input(membershipChangeInput)
      .output(changeOutput)
      .mutation(({ ctx, input }) => {
        const result = revokeMark(ctx.db, {
          ...input,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        });
        ctx.events?.poke();
        return { markKey: result.markKey, expiresAt: result.membership.expiresAt };
      }),
  }),

  marks: router({
    list: adminProcedure
      .input(z.object({ tenantId: idInput.optional() }).optional())
      .output(z.array(markOutput))
      .query(({ ctx, input }) => listMarks(ctx.db, input?.tenantId ?? PLATFORM_TENANT_ID)),

    create: adminProcedure
      .input(z.object(markFieldsInput))
      .output(markOutput)
      .mutation(({ ctx, input }) => {
        return createMark(ctx.db, {
          ...input,
          tenantId: PLATFORM_TENANT_ID,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        });
      }),

    update: adminProcedure
      .input(z.object({ markId: idInput, ...z.object(markFieldsInput).partial().shape }))
      .output(markOutput)
      .mutation(({ ctx, input }) => {
        return updateMark(ctx.db, {
          ...input,
          tenantId: PLATFORM_TENANT_ID,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        });
      }),
  }),

  plans: router({
    list: adminProcedure
      .output(z.array(planOutput.extend({ markKey: z.string(), tenantName: z.string() })))
      .query(({ ctx }) => listCatalog(ctx.db, { includeInactive: true })),

    create: adminProcedure
      .input(z.object({ markId: idInput, fields: planFieldsSchema }))
      .output(planOutput)
      .mutation(({ ctx, input }) =>
        createPlan(ctx.db, {
          tenantId: PLATFORM_TENANT_ID,
          ...input,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        }),
      ),

    update: adminProcedure
      .input(
        z.object({
          planId: idInput,
          markId: idInput.optional(),
          fields: planFieldsSchema.partial(),
        }),
      )
      .output(planOutput)
      .mutation(({ ctx, input }) =>
        updatePlan(ctx.db, {
          tenantId: PLATFORM_TENANT_ID,
          ...input,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        }),
      ),
  }),

  vendors: router({
    list: adminProcedure
      .output(z.array(tenantOutput.extend({ ownerEmail: z.string().nullable() })))
      .query(({ ctx }) => listVendors(ctx.db)),

    members: adminProcedure
      .input(z.object({ tenantId: idInput }))
      .output(z.array(tenantMemberOutput))
      .query(({ ctx, input }) => {
        getVendor(ctx.db, input.tenantId);
        return listTenantMembers(ctx.db, input.tenantId);
      }),

    /** Name a vendor's owner (e.g. the demo vendor's), or add an admin or staff member. */
    addMember: adminProcedure
      .input(z.object({ tenantId: idInput, email: emailInput, role: roleEnum }))
      .output(z.object({ userId: z.string(), email: z.string(), role: roleEnum }))
      .mutation(({ ctx, input }) => {
        getVendor(ctx.db, input.tenantId);
        return addTenantMember(ctx.db, {
          ...input,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        });
      }),

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
  }),

  audit: router({
    list: adminProcedure
      .input(
        z
          .object({
            tenantId: idInput.optional(),
            action: z.string().max(100).optional(),
            actorUserId: idInput.optional(),
            subjectId: idInput.optional(),
            beforeId: z.number().int().positive().optional(),
            limit: z.number().int().min(1).max(200).optional(),
          })
          .optional(),
      )
      .output(
        z.object({
          events: z.array(
            z.object({
              id: z.number(),
              tenantId: z.string().nullable(),
              actorUserId: z.string().nullable(),
              actorEmail: z.string().nullable(),
              action: z.string(),
              subjectType: z.string(),
              subjectId: z.string(),
              data: z.record(z.string(), z.unknown()).nullable(),
              ip: z.string().nullable(),
              createdAt: z.date(),
            }),
          ),
          nextBeforeId: z.number().nullable(),
        }),
      )
      .query(({ ctx, input }) => listAudit(ctx.db, input ?? {})),
  }),
});
