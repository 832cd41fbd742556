// The platform admin console: users and their marks, platform marks and plans, vendors, audit.
import { PLATFORM_TENANT_ID } from '@tessera/db';
import { z } from 'zod';
import { slugSchema } from '../domain/marks/slug.ts';
import { planFieldsSchema } from '../domain/plans/plan-input.ts';
import { DomainError } from '../errors.ts';
import { patchSchema } from '../lib/patch-schema.ts';
import { memberProcedure, router } from '../trpc.ts';
import { adminCodesRouter } from './admin-codes.ts';
import { adminCreditsRouter } from './admin-credits.ts';
import { adminModelsRouter } from './admin-models.ts';
import { adminMoneyRouter } from './admin-money.ts';
import { adminPacksRouter, adminStripeRouter } from './admin-payments.ts';
import { adminVendorsRouter } from './admin-vendors.ts';
import {
  daysInput,
  idInput,
  markFieldsInput,
  markListOutput,
  markOutput,
  membershipRecordOutput,
  planOutput,
  reasonInput,
  userOutput,
} from './schemas.ts';
import { adminSignupRouter } from './signup.ts';

const adminProcedure = memberProcedure({ platformAdmin: true });

const roleOutput = z.object({ tenantId: z.string(), role: z.enum(['owner', 'admin', 'staff']) });
const adminUserOutput = userOutput.extend({
  roles: z.array(roleOutput),
  disabledAt: z.date().nullable(),
  disabledReason: z.string().nullable(),
  /** When the address was verified (decision 022); null = not yet. */
  emailVerifiedAt: z.date().nullable(),
});
const membershipChangeInput = z.object({
  userId: idInput,
  markId: idInput,
  reason: reasonInput.optional(),
});
const disabledOutput = z.object({
  userId: z.string(),
  email: z.string(),
  disabledAt: z.date().nullable(),
  disabledReason: z.string().nullable(),
  sessionsEnded: z.number(),
});
const changeOutput = z.object({ markKey: z.string(), expiresAt: z.date().nullable() });

export const adminRouter = router({
  codes: adminCodesRouter,
  credits: adminCreditsRouter,
  models: adminModelsRouter,
  money: adminMoneyRouter,
  packs: adminPacksRouter,
  stripe: adminStripeRouter,
  signup: adminSignupRouter,
  mail: router({
    /** The outbox, newest first: with no SMTP_URL this is where mails are read (decision 021). */
    outbox: adminProcedure
      .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).optional())
      .output(
        z.array(
          z.object({
            id: z.string(),
            to: z.string(),
            locale: z.string(),
            template: z.string(),
            subject: z.string(),
            text: z.string(),
            status: z.enum(['queued', 'sent', 'failed', 'logged']),
            attempts: z.number(),
            lastError: z.string().nullable(),
            createdAt: z.date(),
            sentAt: z.date().nullable(),
          }),
        ),
      )
      .query(({ ctx, input }) => ctx.stores.ops.listOutbox({ limit: input?.limit ?? 50 })),
  }),
  users: router({
    list: adminProcedure
      .input(z.object({ search: z.string().max(254, { error: 'TOO_LONG' }).optional() }).optional())
      .output(z.array(adminUserOutput))
      .query(({ ctx, input }) => ctx.stores.auth.listUsers({ search: input?.search })),

    byId: adminProcedure
      .input(z.object({ userId: idInput }))
      .output(adminUserOutput.extend({ memberships: z.array(membershipRecordOutput) }))
      .query(async ({ ctx, input }) => {
        const user = await ctx.stores.auth.userById(input.userId);
        if (!user) throw new DomainError('NOT_FOUND', 'No such user.');
        const { roles } = await ctx.stores.auth.viewerStanding(input.userId);
        return {
          ...user,
          roles: roles.map(({ tenantId, role }) => ({ tenantId, role })),
          memberships: await ctx.stores.members.listUserMemberships({
            userId: input.userId,
            now: ctx.now(),
          }),
        };
      }),

    /** Stop an account: sessions end, API keys stop, live answers are cut, sign-in is refused. */
    disable: adminProcedure
      .input(z.object({ userId: idInput, reason: reasonInput.optional() }))
      .output(disabledOutput)
      .mutation(async ({ ctx, input }) => {
        const result = await ctx.stores.auth.setUserDisabled({
          ...input,
          disabled: true,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        });
        ctx.events?.poke();
        return result;
      }),

    enable: adminProcedure
      .input(z.object({ userId: idInput }))
      .output(disabledOutput)
      .mutation(({ ctx, input }) =>
        ctx.stores.auth.setUserDisabled({
          ...input,
          disabled: false,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        }),
      ),
  }),

  memberships: router({
    grant: adminProcedure
      .input(membershipChangeInput.extend({ days: daysInput.nullable() }))
      .output(changeOutput)
      .mutation(async ({ ctx, input }) => {
        const result = await ctx.stores.members.grantMark({
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
      .mutation(async ({ ctx, input }) => {
        const result = await ctx.stores.members.grantMark({
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
      .mutation(async ({ ctx, input }) => {
        const result = await ctx.stores.members.revokeMark({
          ...input,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        });
        ctx.events?.poke();
        return { markKey: result.markKey, expiresAt: result.membership.expiresAt };
      }),
  }),

  marks: router({
    /** One tenant's marks (the platform's by default), or every tenant's with `all`. */
    list: adminProcedure
      .input(z.object({ tenantId: idInput.optional(), all: z.boolean().optional() }).optional())
      .output(z.array(markListOutput))
      .query(({ ctx, input }) =>
        ctx.stores.catalog.listMarks(input?.all ? null : (input?.tenantId ?? PLATFORM_TENANT_ID)),
      ),

    create: adminProcedure
      .input(z.object(markFieldsInput))
      .output(markOutput)
      .mutation(({ ctx, input }) => {
        return ctx.stores.catalog.createMark({
          ...input,
          tenantId: PLATFORM_TENANT_ID,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        });
      }),

    /** Edit a platform mark, or (with `tenantId`) a vendor's — still within that vendor's ceiling. */
    update: adminProcedure
      .input(
        z.object({
          markId: idInput,
          tenantId: idInput.optional(),
          ...z.object(markFieldsInput).partial().shape,
        }),
      )
      .output(markOutput)
      .mutation(async ({ ctx, input }) => {
        const mark = await ctx.stores.catalog.updateMark({
          ...input,
          tenantId: input.tenantId ?? PLATFORM_TENANT_ID,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        });
        ctx.events?.poke();
        return mark;
      }),
  }),

  plans: router({
    list: adminProcedure
      .output(z.array(planOutput.extend({ markKey: z.string(), tenantName: z.string() })))
      .query(({ ctx }) => ctx.stores.catalog.listCatalog({ includeInactive: true })),

    /** `slug` names the plan's key (`pro-monthly`); without one it comes from the name. */
    create: adminProcedure
      .input(z.object({ markId: idInput, slug: slugSchema.optional(), fields: planFieldsSchema }))
      .output(planOutput)
      .mutation(({ ctx, input }) =>
        ctx.stores.catalog.createPlan({
          tenantId: PLATFORM_TENANT_ID,
          ...input,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        }),
      ),

    /** Edit a platform plan, or (with `tenantId`) a vendor's plan. */
    update: adminProcedure
      .input(
        z.object({
          planId: idInput,
          tenantId: idInput.optional(),
          markId: idInput.optional(),
          fields: patchSchema(planFieldsSchema),
        }),
      )
      .output(planOutput)
      .mutation(({ ctx, input }) =>
        ctx.stores.catalog.updatePlan({
          ...input,
          tenantId: input.tenantId ?? PLATFORM_TENANT_ID,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        }),
      ),
  }),

  vendors: adminVendorsRouter,

  audit: router({
    list: adminProcedure
      .input(
        z
          .object({
            tenantId: idInput.optional(),
            action: z.string().max(100).optional(),
            actorUserId: idInput.optional(),
            subjectId: idInput.optional(),
            /** Part of an email: the actor's or the subject user's. */
            email: z.string().trim().max(254).optional(),
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
              actorName: z.string().nullable(),
              actorLabel: z.string().nullable(),
              action: z.string(),
              subjectType: z.string(),
              subjectId: z.string(),
              subjectLabel: z.string().nullable(),
              data: z.record(z.string(), z.unknown()).nullable(),
              ip: z.string().nullable(),
              createdAt: z.date(),
            }),
          ),
          nextBeforeId: z.number().nullable(),
        }),
      )
      .query(({ ctx, input }) => ctx.stores.ops.listAudit(input ?? {})),
  }),
});
