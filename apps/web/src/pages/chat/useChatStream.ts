import { useCallback, useEffect, useReducer, useRef } from 'react';
import {
  type ChatTurn,
  isTurnActive,
  NO_TOOLS,
  startTurn,
  type TurnTools,
  turnsReducer,
} from '../../lib/chat.ts';
import { isUnauthenticated, toAppError } from '../../lib/errors.ts';
import { newRandomId } from '../../lib/ids.ts';
import { type ChatEvent, trpc } from '../../lib/trpc.ts';

/** The server settles a stopped answer once it sees the client leave; refetch a moment later. */
const SETTLE_DELAY_MS = 600;

export interface SendInput {
  conversationId: string | null;
  model: string;
  prompt: string;
  /** How many messages the conversation shows now (see `buildThread`). */
  storedBefore: number;
  heldMarks: readonly string[];
  /** The assistant and plugin it is sent with (the server checks the plan allows them). */
  tools?: TurnTools;
}

/**
 * The answers this tab is writing: each send opens one `chat.stream` subscription (SSE) with a
 * fresh request id, and its events move the turn along. Stop unsubscribes: the server sees the
 * client leave and settles the answer as aborted. Leaving the page stops every answer.
 */
export function useChatStream({ onAdmitted }: { onAdmitted: (conversationId: string) => void }) {
  const utils = trpc.useUtils();
  const [turns, dispatch] = useReducer(turnsReducer, []);
  const subscriptions = useRef(new Map<string, { unsubscribe: () => void }>());
  const admittedRef = useRef(onAdmitted);
  admittedRef.current = onAdmitted;

  useEffect(() => {
    const open = subscriptions.current;
    return () => {
      for (const subscription of open.values()) subscription.unsubscribe();
      open.clear();
    };
  }, []);

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
      const prompt = input.prompt.trim();
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
        },
        {
          onData: (envelope) => {
            dispatch({ type: 'event', requestId, event: envelope.data });
            sideEffects(envelope.data, input.conversationId === null);
          },
          onError: (error) => {
            finish();
            if (isUnauthenticated(error)) utils.auth.me.setData(undefined, null);
            dispatch({ type: 'fail', requestId, error: toAppError(error) });
          },
          onComplete: finish,
        },
      );
      subscriptions.current.set(requestId, subscription);
    },
    [utils, sideEffects],
  );

  const stop = useCallback(
    (requestId: string) => {
      subscriptions.current.get(requestId)?.unsubscribe();
      subscriptions.current.delete(requestId);
      dispatch({ type: 'stop', requestId });
      window.setTimeout(() => {
        void utils.usage.invalidate();
        void utils.chat.conversations.invalidate();
      }, SETTLE_DELAY_MS);
    },
    [utils],
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
