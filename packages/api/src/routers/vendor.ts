// The vendor console: a vendor's own marks, plans, subscribers and staff. Every query is scoped
// by `ctx.tenant`, resolved from the member's verified roles (require-vendor-role.ts).
import { z } from 'zod';
import { assistantFieldsSchema } from '../domain/assistants/assistants.ts';
import { slugSchema } from '../domain/marks/slug.ts';
import { planFieldsSchema } from '../domain/plans/plan-input.ts';
import { patchSchema } from '../lib/patch-schema.ts';
import { requireVendorRole } from '../middleware/require-vendor-role.ts';
import { memberProcedure, router } from '../trpc.ts';
import {
  ceilingOutput,
  emailInput,
  idInput,
  markFieldsInput,
  markListOutput,
  markOutput,
  planOutput,
  tenantMemberOutput,
  vendorSummaryOutput,
} from './schemas.ts';
import { vendorMoneyRouter } from './vendor-money.ts';

const tenantInput = z.object({ tenantId: idInput });

const assistantRowOutput = z.object({
  id: z.string(),
  tenantId: z.string(),
  markId: z.string(),
  name: z.string(),
  description: z.string(),
  systemPrompt: z.string(),
  modelId: z.string(),
  active: z.boolean(),
});
const assistantOutput = assistantRowOutput.extend({
  tenantName: z.string(),
  markKey: z.string(),
  markName: z.string(),
});
const vendorReader = memberProcedure()
  .input(tenantInput)
  .use(requireVendorRole(['owner', 'admin', 'staff']));
const vendorManager = memberProcedure()
  .input(tenantInput)
  .use(requireVendorRole(['owner', 'admin']));

export const vendorRouter = router({
  /**
   * The vendors the signed-in user works for, with their role. A platform admin oversees every
   * vendor (`viaPlatform` where they hold no role of their own).
   */
  mine: memberProcedure()
    .output(
      z.array(
        vendorSummaryOutput.extend({
          role: z.enum(['owner', 'admin', 'staff']),
          viaPlatform: z.boolean(),
        }),
      ),
    )
    .query(async ({ ctx }) => {
      const roles = ctx.member.tenantRoles.filter((r) => r.tenantKind === 'vendor');
      const all = ctx.member.isPlatformAdmin;
      if (roles.length === 0 && !all) return [];
      const rows = await ctx.stores.catalog.vendorTenants(
        all ? 'all' : roles.map((r) => r.tenantId),
      );
      return rows.map((tenant) => {
        const own = roles.find((r) => r.tenantId === tenant.id);
        return {
          ...tenant,
          role: own?.role ?? ('admin' as const),
          viaPlatform: own === undefined,
        };
      });
    }),

  /** What the platform delegates to this vendor (read-only here: only platform admins edit it). */
  ceiling: vendorReader
    .output(ceilingOutput)
    .query(({ ctx }) => ctx.stores.catalog.getVendorCeiling(ctx.tenant.id)),

  marks: router({
    list: vendorReader
      .output(z.array(markListOutput))
      .query(({ ctx }) => ctx.stores.catalog.listMarks(ctx.tenant.id)),

    create: vendorManager
      .input(z.object(markFieldsInput))
      .output(markOutput)
      .mutation(({ ctx, input }) => {
        const { tenantId: _ignored, ...fields } = input;
        return ctx.stores.catalog.createMark({
          ...fields,
          tenantId: ctx.tenant.id,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        });
      }),

    update: vendorManager
      .input(z.object({ markId: idInput, ...z.object(markFieldsInput).partial().shape }))
      .output(markOutput)
      .mutation(async ({ ctx, input }) => {
        const { tenantId: _ignored, ...fields } = input;
        const mark = await ctx.stores.catalog.updateMark({
          ...fields,
          tenantId: ctx.tenant.id,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        });
        ctx.events?.poke();
        return mark;
      }),
  }),

  plans: router({
    list: vendorReader
      .output(z.array(planOutput.extend({ markKey: z.string() })))
      .query(({ ctx }) =>
        ctx.stores.catalog.listCatalog({ tenantId: ctx.tenant.id, includeInactive: true }),
      ),

    /** `slug` names the plan's key (`acme:writer`); without one it comes from the name. */
    create: vendorManager
      .input(z.object({ markId: idInput, slug: slugSchema.optional(), fields: planFieldsSchema }))
      .output(planOutput)
      .mutation(({ ctx, input }) =>
        ctx.stores.catalog.createPlan({
          markId: input.markId,
          slug: input.slug,
          fields: input.fields,
          tenantId: ctx.tenant.id,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        }),
      ),

    update: vendorManager
      .input(
        z.object({
          planId: idInput,
          markId: idInput.optional(),
          fields: patchSchema(planFieldsSchema),
        }),
      )
      .output(planOutput)
      .mutation(({ ctx, input }) =>
        ctx.stores.catalog.updatePlan({
          planId: input.planId,
          markId: input.markId,
          fields: input.fields,
          tenantId: ctx.tenant.id,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        }),
      ),
  }),

  assistants: router({
    list: vendorReader
      .output(z.array(assistantOutput))
      .query(({ ctx }) => ctx.stores.catalog.listAssistants({ tenantId: ctx.tenant.id })),

    create: vendorManager
      .input(z.object({ fields: assistantFieldsSchema }))
      .output(assistantRowOutput)
      .mutation(({ ctx, input }) =>
        ctx.stores.catalog.createAssistant({
          tenantId: ctx.tenant.id,
          fields: input.fields,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        }),
      ),

    update: vendorManager
      .input(z.object({ assistantId: idInput, fields: patchSchema(assistantFieldsSchema) }))
      .output(assistantRowOutput)
      .mutation(({ ctx, input }) =>
        ctx.stores.catalog.updateAssistant({
          tenantId: ctx.tenant.id,
          assistantId: input.assistantId,
          fields: input.fields,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        }),
      ),
  }),

  subscribers: router({
    list: vendorReader
      .input(z.object({ activeOnly: z.boolean().optional() }))
      .output(
        z.array(
          z.object({
            userId: z.string(),
            email: z.string(),
            markKey: z.string(),
            markName: z.string(),
            startsAt: z.date(),
            expiresAt: z.date().nullable(),
            status: z.enum(['active', 'expired', 'revoked']),
            source: z.string(),
            activeNow: z.boolean(),
          }),
        ),
      )
      .query(({ ctx, input }) =>
        ctx.stores.catalog.listSubscribers({
          tenantId: ctx.tenant.id,
          activeOnly: input.activeOnly,
          now: ctx.now(),
        }),
      ),
  }),

  money: vendorMoneyRouter,

  staff: router({
    list: vendorReader
      .output(z.array(tenantMemberOutput))
      .query(({ ctx }) => ctx.stores.catalog.listTenantMembers(ctx.tenant.id)),

    add: vendorManager
      .input(z.object({ email: emailInput, role: z.enum(['admin', 'staff']) }))
      .output(
        z.object({
          userId: z.string(),
          email: z.string(),
          role: z.enum(['owner', 'admin', 'staff']),
        }),
      )
      .mutation(({ ctx, input }) =>
        ctx.stores.catalog.addTenantMember({
          tenantId: ctx.tenant.id,
          email: input.email,
          role: input.role,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        }),
      ),
  }),
});
