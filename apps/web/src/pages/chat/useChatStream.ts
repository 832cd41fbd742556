import { startTransition, useCallback, useEffect, useReducer, useRef } from 'react';
import {
  type ChatTurn,
  isTurnActive,
  NO_TOOLS,
  startTurn,
  type TurnImage,
  type TurnTools,
  turnsReducer,
} from '../../lib/chat.ts';
import { cleanPrompt } from '../../lib/cleanPrompt.ts';
import { isUnauthenticated, toAppError } from '../../lib/errors.ts';
import { newRandomId } from '../../lib/ids.ts';
import { type ChatEvent, trpc } from '../../lib/trpc.ts';

export interface SendInput {
  conversationId: string | null;
  model: string;
  prompt: string;
  /** How many messages the conversation shows now (see `buildThread`). */
  storedBefore: number;
  heldMarks: readonly string[];
  /** The assistant and plugin it is sent with (the server checks the plan allows them). */
  tools?: TurnTools;
  /** Answer this stored prompt again, or replace it by `prompt` (decision 020). */
  regenerate?: { promptId: string };
  edit?: { promptId: string };
  /** Uploaded images sent with the prompt (decision 026). */
  images?: readonly TurnImage[];
}

/**
 * The answers this tab is writing: each send opens one `chat.stream` subscription (SSE) with a
 * fresh request id, and its events move the turn along. The server keeps an answer going for a
 * few seconds after its connection drops (a reconnect resumes it with `lastEventId`), so Stop says
 * so first (`chat.stop`, fire and forget) and then unsubscribes; the server settles the answer as
 * aborted. Leaving the page stops every answer the same way.
 */
export function useChatStream({ onAdmitted }: { onAdmitted: (conversationId: string) => void }) {
  const utils = trpc.useUtils();
  const [turns, dispatch] = useReducer(turnsReducer, []);
  const subscriptions = useRef(new Map<string, { unsubscribe: () => void }>());
  const admittedRef = useRef(onAdmitted);
  admittedRef.current = onAdmitted;

  // Tokens are applied at most once per animation frame, as one transition (an interruptible
  // render): 100 tokens a second never become 100 renders, and never one long task. Any other
  // event applies the tokens before it first, then itself at once.
  type Action = Parameters<typeof dispatch>[0];
  const tokens = useRef<Action[]>([]);
  const frame = useRef<number | null>(null);
  const flushTokens = useCallback(() => {
    if (frame.current !== null) window.cancelAnimationFrame(frame.current);
    frame.current = null;
    const batch = tokens.current;
    tokens.current = [];
    if (batch.length > 0)
      startTransition(() => {
        for (const action of batch) dispatch(action);
      });
  }, []);
  useEffect(() => flushTokens, [flushTokens]);

  // Read through a ref: the unmount cleanup below must not re-run when `utils` is re-created.
  const clientRef = useRef(utils.client);
  clientRef.current = utils.client;
  /** `chat.stop`: the server ends and settles the answer before it replies. Errors are moot (an
   * answer that already ended has nothing to stop; one the server never hears about ends when
   * its reconnect grace runs out). */
  const stopOnServer = useCallback(
    (requestId: string): Promise<unknown> =>
      clientRef.current.chat.stop.mutate({ requestId }).catch(() => undefined),
    [],
  );

  useEffect(() => {
    const open = subscriptions.current;
    return () => {
      for (const [requestId, subscription] of open) {
        void stopOnServer(requestId);
        subscription.unsubscribe();
      }
      open.clear();
    };
  }, [stopOnServer]);

  /** What an event changes outside the turn: the URL, the sidebar, the meter, stored messages. */
  const sideEffects = useCallback(
    (event: ChatEvent, startedNew: boolean) => {
      if (event.type === 'admitted') {
        if (startedNew) {
          void utils.chat.conversations.list.invalidate();
          admittedRef.current(event.conversationId);
        }
        void utils.usage.summary.invalidate();
      } else if (event.type === 'done' || event.type === 'cut_off' || event.type === 'replay') {
        void utils.usage.invalidate();
        void utils.chat.conversations.invalidate();
      } else if (event.type === 'refused') {
        void utils.usage.summary.invalidate();
      }
    },
    [utils],
  );

  const send = useCallback(
    (input: SendInput) => {
      const requestId = newRandomId();
      const prompt = cleanPrompt(input.prompt);
      const tools = input.tools ?? NO_TOOLS;
      dispatch({ type: 'start', turn: startTurn({ ...input, prompt, requestId, tools }) });
      const finish = () => subscriptions.current.delete(requestId);
      const subscription = utils.client.chat.stream.subscribe(
        {
          requestId,
          conversationId: input.conversationId ?? undefined,
          model: input.model,
          content: prompt,
          assistantId: tools.assistant?.id,
          plugin: tools.plugin ? { id: tools.plugin.id, options: tools.plugin.options } : undefined,
          regenerate: input.regenerate,
          edit: input.edit,
          images: input.images?.length ? input.images.map((image) => image.id) : undefined,
        },
        {
          onData: (envelope) => {
            const action = { type: 'event', requestId, event: envelope.data } as const;
            if (envelope.data.type === 'delta') {
              tokens.current.push(action);
              frame.current ??= window.requestAnimationFrame(flushTokens);
            } else {
              flushTokens();
              dispatch(action);
            }
            sideEffects(envelope.data, input.conversationId === null);
            // An edit has just replaced the thread after its prompt: show the server's thread.
            if (envelope.data.type === 'admitted' && input.edit)
              void utils.chat.conversations.messages.invalidate();
          },
          onError: (error) => {
            flushTokens();
            finish();
            if (isUnauthenticated(error)) utils.auth.me.setData(undefined, null);
            dispatch({ type: 'fail', requestId, error: toAppError(error) });
          },
          onComplete: finish,
        },
      );
      subscriptions.current.set(requestId, subscription);
    },
    [utils, sideEffects, flushTokens],
  );

  const stop = useCallback(
    (requestId: string) => {
      flushTokens();
      const settled = stopOnServer(requestId);
      subscriptions.current.get(requestId)?.unsubscribe();
      subscriptions.current.delete(requestId);
      dispatch({ type: 'stop', requestId });
      // Settled now: the meter and the stored answer (with its charge) are refetched.
      void settled.then(() => {
        void utils.usage.invalidate();
        void utils.chat.conversations.invalidate();
      });
    },
    [utils, stopOnServer, flushTokens],
  );

  /** A deleted conversation's turns go too (stopping any that still runs). */
  const forget = useCallback(
    (conversationId: string) => {
      for (const turn of turns) {
        if (turn.conversationId === conversationId && isTurnActive(turn)) stop(turn.requestId);
      }
      dispatch({ type: 'forget', conversationId });
    },
    [turns, stop],
  );

  const clearDraft = useCallback(() => dispatch({ type: 'clearDraft' }), []);

  const active: ChatTurn | null = turns.find(isTurnActive) ?? null;
  return { turns, active, send, stop, forget, clearDraft };
}
