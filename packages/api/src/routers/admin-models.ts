// Admin: the model catalog (prices in credits per 1M tokens) and the endpoints that serve it.
import { z } from 'zod';
import { modelFieldsSchema, providerFieldsSchema } from '../domain/models/models.ts';
import { patchSchema } from '../lib/patch-schema.ts';
import { memberProcedure, router } from '../trpc.ts';
import { idInput } from './schemas.ts';

const adminProcedure = memberProcedure({ platformAdmin: true });

const modelOutput = z.object({
  id: z.string(),
  displayName: z.string(),
  inputPricePerMillion: z.number(),
  outputPricePerMillion: z.number(),
  providerId: z.string().nullable(),
  upstreamModel: z.string().nullable(),
  vision: z.boolean(),
  active: z.boolean(),
});
const providerOutput = z.object({
  id: z.string(),
  name: z.string(),
  baseUrl: z.string(),
  apiKeySet: z.boolean(),
  active: z.boolean(),
  updatedAt: z.date(),
});
const modelIdInput = z.string().min(1).max(100);

export const adminModelsRouter = router({
  list: adminProcedure
    .output(z.array(modelOutput))
    .query(({ ctx }) => ctx.stores.catalog.listModels()),

  create: adminProcedure
    .input(z.object({ modelId: modelIdInput, fields: modelFieldsSchema }))
    .output(modelOutput)
    .mutation(({ ctx, input }) =>
      ctx.stores.catalog.saveModel({
        id: input.modelId,
        fields: input.fields,
        create: true,
        actorUserId: ctx.member.user.id,
        now: ctx.now(),
      }),
    ),

  update: adminProcedure
    .input(z.object({ modelId: modelIdInput, fields: patchSchema(modelFieldsSchema) }))
    .output(modelOutput)
    .mutation(({ ctx, input }) =>
      ctx.stores.catalog.saveModel({
        id: input.modelId,
        fields: input.fields,
        create: false,
        actorUserId: ctx.member.user.id,
        now: ctx.now(),
      }),
    ),

  providers: router({
    list: adminProcedure
      .output(z.array(providerOutput))
      .query(({ ctx }) => ctx.stores.catalog.listProviders()),

    create: adminProcedure
      .input(z.object({ fields: providerFieldsSchema }))
      .output(providerOutput)
      .mutation(({ ctx, input }) =>
        ctx.stores.catalog.saveProvider({
          fields: input.fields,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        }),
      ),

    update: adminProcedure
      .input(z.object({ providerId: idInput, fields: patchSchema(providerFieldsSchema) }))
      .output(providerOutput)
      .mutation(({ ctx, input }) =>
        ctx.stores.catalog.saveProvider({
          id: input.providerId,
          fields: input.fields,
          actorUserId: ctx.member.user.id,
          now: ctx.now(),
        }),
      ),
  }),
});
