// Chat: the streaming subscription (SSE) and the member's conversations.
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { followHereOrElsewhere } from '../chat/answer-elsewhere.ts';
import { resumePoint } from '../chat/live-answers.ts';
import { PLUGINS } from '../chat/plugins.ts';
import { clientRequestId } from '../chat/request-key.ts';
import { type ChatEvent, runChat } from '../chat/run-chat.ts';
import { noSuchConversation } from '../domain/chat/exchanges.ts';
import {
  IMAGE_LIMITS,
  MAX_IMAGE_DATA_URL_LENGTH,
  newUpload,
  noSuchImage,
  noSuchPendingImage,
  toDataUrl,
  tooManyPending,
  uploaded,
} from '../domain/chat/image-attachments.ts';
import { noSuchAnswer } from '../domain/chat/thread.ts';
import { DomainError } from '../errors.ts';
import { unlockFinder } from '../member/find-unlocks.ts';
import { memberProcedure, router } from '../trpc.ts';
import { idInput, unlockOutput } from './schemas.ts';

const conversationInput = z.object({ conversationId: idInput });

export const chatRouter = router({
  /** Every active model, with whether the member may use it and, if not, what unlocks it. */
  models: memberProcedure()
    .output(
      z.array(
        z.object({
          id: z.string(),
          displayName: z.string(),
          inputPricePerMillion: z.number(),
          outputPricePerMillion: z.number(),
          /** Accepts images (decision 026). */
          vision: z.boolean(),
          allowed: z.boolean(),
          unlock: z.array(unlockOutput),
        }),
      ),
    )
    .query(async ({ ctx }) => {
      const unlocks = unlockFinder(ctx.stores.catalog, ctx.member.user.id);
      return Promise.all(
        (await ctx.stores.chats.activeModels()).map(async (model) => {
          const allowed = ctx.member.entitlements.models.includes(model.id);
          return {
            id: model.id,
            displayName: model.displayName,
            inputPricePerMillion: model.inputPricePerMillion,
            outputPricePerMillion: model.outputPricePerMillion,
            vision: model.vision,
            allowed,
            unlock: allowed ? [] : await unlocks({ kind: 'model', model: model.id }),
          };
        }),
      );
    }),

  /**
   * One answer, streamed. The client picks `requestId` (a UUID). A dropped connection is not a
   * stop: tRPC's client reconnects with `lastEventId` and the answer goes on from the next event
   * (see chat/live-answers.ts); a finished answer is replayed. Nothing is admitted or charged twice.
   */
  stream: memberProcedure()
    .input(
      z.object({
        requestId: z.string().min(8, { error: 'INVALID' }).max(100),
        conversationId: idInput.optional(),
        model: z.string().min(1).max(100),
        content: z.string().trim().min(1, { error: 'REQUIRED' }).max(32_000, { error: 'TOO_LONG' }),
        assistantId: idInput.optional(),
        plugin: z
          .object({
            id: z.string().min(1).max(50),
            options: z.record(z.string().max(50), z.string().max(200)).optional(),
          })
          .optional(),
        /** Answer this prompt (the conversation's latest) again; `content` is ignored. */
        regenerate: z.object({ promptId: idInput }).optional(),
        /** Replace this prompt by `content` and answer it (decision 020). */
        edit: z.object({ promptId: idInput }).optional(),
        /** Uploaded images (`chat.images.upload` ids) sent with `content` (decision 026). */
        images: z
          .array(idInput)
          .max(IMAGE_LIMITS.perMessage, { error: 'TOO_MANY_IMAGES' })
          .optional(),
        lastEventId: z.string().max(200).nullish(),
      }),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      const providers = ctx.providers;
      if (!providers) throw new DomainError('CONFLICT', 'Chat is not available on this server.');
      const start = (answerSignal: AbortSignal) =>
        runChat(
          {
            stores: ctx.stores,
            // Only SQLite's watcher re-checks on the connection itself (decision 006).
            db: ctx.stores.engine === 'sqlite' ? ctx.db : undefined,
            events: ctx.events,
            now: ctx.now,
            timeZone: ctx.timeZone,
            providers,
            requireVerifiedEmail: ctx.requireVerifiedEmailToChat,
            publicOrigin: ctx.publicOrigin,
            reservationLease: ctx.reservationLease,
          },
          {
            member: ctx.member,
            requestId: input.requestId,
            conversationId: input.conversationId,
            modelId: input.model,
            content: input.content,
            plugin: input.plugin,
            assistantId: input.assistantId,
            regenerate: input.regenerate,
            edit: input.edit,
            imageIds: input.images,
            signal: answerSignal,
          },
        );
      const resume = {
        requestId: input.requestId,
        userId: ctx.member.user.id,
        after: resumePoint(input.requestId, input.lastEventId),
        signal,
      };
      // A request id admitted on another instance is followed there (decision 033).
      const events = ctx.liveAnswers
        ? followHereOrElsewhere(
            ctx.liveAnswers.follow({ ...resume, start }),
            ctx.remoteAnswers,
            resume,
          )
        : numbered(start(signal ?? new AbortController().signal));
      for await (const [n, event] of events) yield tracked(`${input.requestId}:${n}`, event);
    }),

  /**
   * Stops one of my answers now (the Stop button); it is settled before this returns. An answer
   * another instance produces (a resumed stream, decision 033) is stopped there.
   */
  stop: memberProcedure()
    .input(z.object({ requestId: z.string().min(8, { error: 'INVALID' }).max(100) }))
    .output(z.object({ stopped: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      // The user id is the session's, never the input's: only the owner can stop an answer.
      const userId = ctx.member.user.id;
      const stopped =
        (await ctx.liveAnswers?.stop(input.requestId, userId)) ||
        (await ctx.remoteStops?.stop({ userId, requestId: input.requestId }));
      if (!stopped)
        throw new DomainError('NOT_FOUND', 'No answer of yours is running with this id.');
      return { stopped: true as const };
    }),

  /** The plugin registry, with whether the member may use each and what unlocks it. */
  plugins: memberProcedure()
    .output(
      z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          description: z.string(),
          allowed: z.boolean(),
          unlock: z.array(unlockOutput),
        }),
      ),
    )
    .query(async ({ ctx }) => {
      const unlocks = unlockFinder(ctx.stores.catalog, ctx.member.user.id);
      return Promise.all(
        PLUGINS.map(async (plugin) => {
          const allowed = ctx.member.entitlements.plugins.includes(plugin.id);
          return {
            id: plugin.id,
            name: plugin.name,
            description: plugin.description,
            allowed,
            unlock: allowed ? [] : await unlocks({ kind: 'feature', feature: plugin.id }),
          };
        }),
      );
    }),

  /** Vendors' assistants, with whether the member holds the mark each needs and what unlocks it. */
  assistants: memberProcedure().query(async ({ ctx }) => {
    const held = new Set(ctx.member.memberships.map((m) => m.markKey));
    const unlocks = unlockFinder(ctx.stores.catalog, ctx.member.user.id);
    const listed = await ctx.stores.catalog.listAssistants({ activeOnly: true });
    return Promise.all(
      listed.map(async ({ systemPrompt: _hidden, ...assistant }) => {
        // Usable = the vendor's mark held AND the assistant's model in the member's plan.
        const hasMark = held.has(assistant.markKey);
        const hasModel = ctx.member.entitlements.models.includes(assistant.modelId);
        return {
          ...assistant,
          allowed: hasMark && hasModel,
          unlock: !hasMark
            ? await unlocks({ kind: 'marks', marks: [assistant.markKey] })
            : !hasModel
              ? await unlocks({ kind: 'model', model: assistant.modelId })
              : [],
        };
      }),
    );
  }),

  /**
   * Images for the composer (decision 026): uploaded one at a time (the answer's subscription is a
   * GET and cannot carry them), sent by id with a message, shown again from the thread.
   */
  images: router({
    upload: memberProcedure()
      .input(
        z.object({
          dataUrl: z.string().min(1).max(MAX_IMAGE_DATA_URL_LENGTH, { error: 'IMAGE_TOO_LARGE' }),
        }),
      )
      .output(z.object({ id: z.string(), mediaType: z.string(), bytes: z.number() }))
      .mutation(async ({ ctx, input }) => {
        const upload = newUpload({
          userId: ctx.member.user.id,
          dataUrl: input.dataUrl,
          now: ctx.now(),
        });
        if (!(await ctx.stores.chats.storeUpload(upload))) throw tooManyPending();
        return uploaded(upload);
      }),

    /** Removes an upload not sent yet (the thumbnail's ×). */
    discard: memberProcedure()
      .input(z.object({ id: idInput }))
      .output(z.object({ ok: z.literal(true) }))
      .mutation(async ({ ctx, input }) => {
        if (!(await ctx.stores.chats.discardUpload(ctx.member.user.id, input.id)))
          throw noSuchPendingImage();
        return { ok: true as const };
      }),

    /** One of my images as a data URL (the thread loads each on its own). */
    byId: memberProcedure()
      .input(z.object({ id: idInput }))
      .output(z.object({ dataUrl: z.string() }))
      .query(async ({ ctx, input }) => {
        const image = await ctx.stores.chats.imageOf(ctx.member.user.id, input.id);
        if (!image) throw noSuchImage();
        return { dataUrl: toDataUrl(image.mediaType, image.data) };
      }),
  }),

  conversations: router({
    list: memberProcedure()
      .output(
        z.array(
          z.object({ id: z.string(), title: z.string(), modelId: z.string(), updatedAt: z.date() }),
        ),
      )
      .query(({ ctx }) => ctx.stores.chats.listConversations(ctx.member.user.id)),

    /** My conversations whose title or any message contains `q` (newest first, at most 30). */
    search: memberProcedure()
      .input(z.object({ q: z.string().trim().min(1, { error: 'REQUIRED' }).max(200) }))
      .output(
        z.array(
          z.object({
            id: z.string(),
            title: z.string(),
            modelId: z.string(),
            updatedAt: z.date(),
            snippet: z.string().nullable(),
          }),
        ),
      )
      .query(({ ctx, input }) =>
        ctx.stores.chats.searchConversations({ userId: ctx.member.user.id, query: input.q }),
      ),

    messages: memberProcedure()
      .input(conversationInput)
      .query(async ({ ctx, input }) => {
        const thread = await ctx.stores.chats.threadMessages({
          userId: ctx.member.user.id,
          conversationId: input.conversationId,
        });
        if (!thread) throw noSuchConversation();
        return thread.map((message) => ({
          ...message,
          // Stored under the user-scoped key; the client knows its own id.
          requestId: message.requestId && clientRequestId(ctx.member.user.id, message.requestId),
        }));
      }),

    /** Shows another of a prompt's answers (the "‹ 2/3 ›" flip); the model is sent that one next. */
    showAnswer: memberProcedure()
      .input(conversationInput.extend({ answerId: idInput }))
      .output(z.object({ ok: z.literal(true) }))
      .mutation(async ({ ctx, input }) => {
        if (!(await ctx.stores.chats.showAnswer({ userId: ctx.member.user.id, ...input })))
          throw noSuchAnswer();
        return { ok: true as const };
      }),

    rename: memberProcedure()
      .input(
        conversationInput.extend({
          title: z.string().trim().min(1, { error: 'REQUIRED' }).max(120, { error: 'TOO_LONG' }),
        }),
      )
      .mutation(async ({ ctx, input }) => {
        const renamed = await ctx.stores.chats.renameConversation({
          userId: ctx.member.user.id,
          ...input,
        });
        if (!renamed) throw noSuchConversation();
        return { ok: true as const };
      }),

    delete: memberProcedure()
      .input(conversationInput)
      .mutation(async ({ ctx, input }) => {
        const deleted = await ctx.stores.chats.deleteConversation({
          userId: ctx.member.user.id,
          ...input,
        });
        if (!deleted) throw noSuchConversation();
        return { ok: true as const };
      }),
  }),
});

async function* numbered(events: AsyncIterable<ChatEvent>): AsyncGenerator<[number, ChatEvent]> {
  let n = 0;
  for await (const event of events) yield [n++, event];
}
