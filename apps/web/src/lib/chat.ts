import type { AppError } from './errors.ts';
import type { ChatEvent, StopReason, StoredMessage } from './trpc.ts';

/**
 * The chat page's state, as pure functions: one `ChatTurn` per message sent in this tab, moved
 * along by the `chat.stream` events; and the thread a conversation shows (stored messages with
 * the live turns in their place).
 */

/**
 * `pending` until the server admits or refuses it, `streaming` while deltas arrive; then one of
 * the endings. `stopped` is the member's Stop (the server settles it as aborted).
 */
export type TurnPhase =
  | 'pending'
  | 'streaming'
  | 'complete'
  | 'refused'
  | 'cut_off'
  | 'stopped'
  | 'error';

/** Why a turn ended in `error`: the model failed, or the connection or request did. */
export type TurnFailure =
  | { kind: 'model' }
  | { kind: 'connection' }
  | { kind: 'request'; error: AppError };

/**
 * What a message was sent with besides its text: a vendor's assistant and a server-side plugin,
 * named as they were when it was sent, so the thread can say how each answer came about.
 */
export interface TurnTools {
  assistant: { id: string; name: string } | null;
  /** `name` is the server's; built-in plugins are shown in the reader's language. */
  plugin: { id: string; name: string; options?: Record<string, string> } | null;
}

export const NO_TOOLS: TurnTools = { assistant: null, plugin: null };

export function hasTools(tools: TurnTools): boolean {
  return tools.assistant !== null || tools.plugin !== null;
}

/** A plugin as the registry (`chat.plugins`) names it. */
export interface PluginName {
  id: string;
  name: string;
}

/**
 * What a stored prompt was sent with, as the server kept it: the assistant by its current name,
 * the plugin by id and options (named from the registry; a plugin no longer listed keeps its id).
 */
export function storedTools(
  message: Pick<StoredMessage, 'assistant' | 'plugin'>,
  plugins: readonly PluginName[] = [],
): TurnTools {
  const { assistant, plugin } = message;
  return {
    assistant: assistant ? { id: assistant.id, name: assistant.name } : null,
    plugin: plugin
      ? {
          id: plugin.id,
          name: plugins.find((row) => row.id === plugin.id)?.name ?? plugin.id,
          ...(plugin.options ? { options: plugin.options } : {}),
        }
      : null,
  };
}

export interface ChatTurn {
  requestId: string;
  /** Where the answer goes; null for a new chat until the server has opened one. */
  conversationId: string | null;
  /** True once admitted: the prompt (and later the answer) is stored on the server. */
  admitted: boolean;
  model: string;
  prompt: string;
  answer: string;
  phase: TurnPhase;
  /** Credits held for the worst case while it runs, and what the answer really cost. */
  reserved: number | null;
  charged: number | null;
  /** Why it was refused or cut off. */
  reason: StopReason | null;
  failure: TurnFailure | null;
  /** Stored messages the conversation had before this tab's first turn in it. */
  storedBefore: number;
  /** Mark keys held when it started: tells which membership a cut-off ended. */
  heldMarks: readonly string[];
  /** The model asked for when credits could not cover it and the plan's fallback answered. */
  fallbackFrom: string | null;
  tools: TurnTools;
  /** Images sent with the prompt (decision 026): the upload's id and the picture itself. */
  images: readonly TurnImage[];
}

/** An image of a prompt: the server's id, and the picture when this tab has it (a data URL). */
export interface TurnImage {
  id: string;
  src?: string;
}

export interface NewTurn {
  requestId: string;
  conversationId: string | null;
  model: string;
  prompt: string;
  storedBefore: number;
  heldMarks: readonly string[];
  tools?: TurnTools;
  images?: readonly TurnImage[];
}

export function startTurn({ tools = NO_TOOLS, images = [], ...input }: NewTurn): ChatTurn {
  return {
    ...input,
    tools,
    images,
    admitted: false,
    answer: '',
    phase: 'pending',
    reserved: null,
    charged: null,
    reason: null,
    failure: null,
    fallbackFrom: null,
  };
}

export function isTurnActive(turn: Pick<ChatTurn, 'phase'>): boolean {
  return turn.phase === 'pending' || turn.phase === 'streaming';
}

/** How a stored answer's status reads as a turn's ending (replays carry it). */
function phaseOfStatus(status: string | null): TurnPhase {
  if (status === 'cut_off') return 'cut_off';
  if (status === 'aborted') return 'stopped';
  if (status === 'error') return 'error';
  return 'complete';
}

/** One `chat.stream` event applied to its turn. Events after the turn has ended are ignored. */
export function applyChatEvent(turn: ChatTurn, event: ChatEvent): ChatTurn {
  if (!isTurnActive(turn)) return turn;
  switch (event.type) {
    case 'admitted':
      return {
        ...turn,
        admitted: true,
        conversationId: event.conversationId,
        reserved: event.reserved,
        phase: 'streaming',
      };
    case 'delta':
      return { ...turn, answer: turn.answer + event.text, phase: 'streaming' };
    case 'refused':
      // After admission a refusal can only be a reconnect racing the original request.
      return turn.admitted
        ? { ...turn, phase: 'error', failure: { kind: 'connection' } }
        : { ...turn, phase: 'refused', reason: event.reason };
    case 'cut_off':
      return { ...turn, phase: 'cut_off', reason: event.reason, charged: event.charged };
    case 'done':
      return event.status === 'error'
        ? { ...turn, phase: 'error', charged: event.charged, failure: { kind: 'model' } }
        : { ...turn, phase: 'complete', charged: event.charged };
    case 'notice':
      // Not enough credits for the chosen model: the plan's fallback model answers instead.
      return event.code === 'FALLBACK_MODEL'
        ? { ...turn, model: event.to, fallbackFrom: event.from }
        : turn;
    case 'replay': {
      const phase = phaseOfStatus(event.status);
      return {
        ...turn,
        admitted: true,
        conversationId: event.conversationId,
        answer: event.content,
        phase,
        failure: phase === 'error' ? { kind: 'model' } : null,
      };
    }
    default:
      return turn;
  }
}

export type TurnAction =
  | { type: 'start'; turn: ChatTurn }
  | { type: 'event'; requestId: string; event: ChatEvent }
  | { type: 'stop'; requestId: string }
  | { type: 'fail'; requestId: string; error: AppError }
  | { type: 'forget'; conversationId: string }
  /** "New chat": the finished turns shown in the new-chat view (refused, failed) go. */
  | { type: 'clearDraft' };

function update(turns: ChatTurn[], requestId: string, change: (turn: ChatTurn) => ChatTurn) {
  return turns.map((turn) => (turn.requestId === requestId ? change(turn) : turn));
}

/** The turns of this tab, oldest first. */
export function turnsReducer(turns: ChatTurn[], action: TurnAction): ChatTurn[] {
  switch (action.type) {
    case 'start':
      return [...turns, action.turn];
    case 'event': {
      const { event } = action;
      const started = turns.find((turn) => turn.requestId === action.requestId);
      const next = update(turns, action.requestId, (turn) => applyChatEvent(turn, event));
      // A new chat opened: what the member saw before in the same view (a refusal) goes with it.
      if (event.type !== 'admitted' || started?.conversationId !== null) return next;
      return next.map((turn) =>
        turn.conversationId === null && !isTurnActive(turn)
          ? { ...turn, conversationId: event.conversationId }
          : turn,
      );
    }
    case 'stop':
      return update(turns, action.requestId, (turn) =>
        isTurnActive(turn) ? { ...turn, phase: 'stopped' } : turn,
      );
    case 'fail':
      return update(turns, action.requestId, (turn) =>
        isTurnActive(turn)
          ? { ...turn, phase: 'error', failure: { kind: 'request', error: action.error } }
          : turn,
      );
    case 'forget':
      return turns.filter((turn) => turn.conversationId !== action.conversationId);
    case 'clearDraft':
      return turns.filter((turn) => turn.conversationId !== null || isTurnActive(turn));
    default:
      return turns;
  }
}

/** A prompt as it was asked: its text and what it was sent with. */
export interface AskedPrompt {
  /** The stored prompt's id (null until the server has stored it): what regenerate and edit name. */
  id: string | null;
  content: string;
  tools: TurnTools;
}

export type ThreadItem =
  /** A prompt, with what it was sent with (this tab's choice, or as the server stored it). */
  | {
      kind: 'prompt';
      key: string;
      id: string | null;
      content: string;
      tools: TurnTools;
      images: readonly TurnImage[];
    }
  /** A stored answer, with the stored prompt it answers (what a Retry sends again), if any. */
  | { kind: 'stored'; key: string; message: StoredMessage; prompt: AskedPrompt | null }
  /** A live turn, with its stored prompt and answer once refetched (a stopped answer's charge is there). */
  | {
      kind: 'turn';
      key: string;
      turn: ChatTurn;
      stored: StoredMessage | null;
      prompt: AskedPrompt | null;
    };

/** A shown answer's place among its prompt's answers (regenerate), for the "‹ 2/3 ›" flip. */
export interface Alternatives {
  ids: string[];
  index: number;
}

/**
 * The conversation as shown (decision 020): each prompt followed by the answer picked for it (its
 * `shownAnswerId`, else the latest); the other answers are alternatives of the shown one. Answers
 * stored before alternatives existed (no `replyTo`) stay where they are.
 */
export function collapseAlternatives(stored: readonly StoredMessage[]): {
  messages: StoredMessage[];
  alternatives: Map<string, Alternatives>;
} {
  const answers = new Map<string, StoredMessage[]>();
  for (const message of stored)
    if (message.role === 'assistant' && message.replyTo)
      answers.set(message.replyTo, [...(answers.get(message.replyTo) ?? []), message]);
  const messages: StoredMessage[] = [];
  const alternatives = new Map<string, Alternatives>();
  for (const message of stored) {
    if (message.role === 'assistant' && message.replyTo) continue;
    messages.push(message);
    const own = answers.get(message.id);
    if (!own) continue;
    const shown = own.find((answer) => answer.id === message.shownAnswerId) ?? own.at(-1)!;
    messages.push(shown);
    if (own.length > 1)
      alternatives.set(shown.id, { ids: own.map((a) => a.id), index: own.indexOf(shown) });
  }
  return { messages, alternatives };
}

/**
 * What a conversation shows: its stored messages, with this tab's turns in place of the ones
 * they wrote (a live turn knows more: the cut-off's unlock, the charge), and anything stored
 * after them (another tab) at the end. Each admitted turn stored one prompt, then its answer.
 * `plugins` (the registry) names the plugins stored prompts were sent through.
 */
export function buildThread(
  stored: readonly StoredMessage[],
  turns: readonly ChatTurn[],
  plugins: readonly PluginName[] = [],
  /** Request ids of every stored answer, alternatives included (see the flip below). */
  storedRequestIds: ReadonlySet<string> = new Set(),
): ThreadItem[] {
  const items: ThreadItem[] = [];
  const pushStored = (message: StoredMessage) => {
    if (message.role === 'user') {
      items.push({
        kind: 'prompt',
        key: message.id,
        id: message.id,
        content: message.content,
        tools: storedTools(message, plugins),
        images: message.images.map((image) => ({ id: image.id })),
      });
      return;
    }
    const before = items.at(-1);
    const prompt =
      before?.kind === 'prompt'
        ? { id: before.id, content: before.content, tools: before.tools }
        : null;
    items.push({ kind: 'stored', key: message.id, message, prompt });
  };
  const base = Math.min(turns[0]?.storedBefore ?? stored.length, stored.length);
  stored.slice(0, base).forEach(pushStored);
  let next = base;
  for (const turn of turns) {
    const prompt = stored[next];
    // A turn stopped before its admission arrived may still have been stored: match its text.
    const wroteIt = turn.admitted || (turn.phase === 'stopped' && prompt?.content === turn.prompt);
    let answer: StoredMessage | null = null;
    let asked: AskedPrompt | null = null;
    if (wroteIt && prompt?.role === 'user') {
      asked = { id: prompt.id, content: turn.prompt, tools: turn.tools };
      next += 1;
      const reply = stored[next];
      if (reply?.role === 'assistant') {
        answer = reply;
        next += 1;
      }
    }
    items.push({
      kind: 'prompt',
      key: `${turn.requestId}:prompt`,
      id: asked?.id ?? null,
      content: turn.prompt,
      tools: turn.tools,
      images: turn.images,
    });
    // The member flipped to another of this prompt's answers (this turn's own is stored, and not
    // the one shown): show the shown one, as stored.
    if (
      answer &&
      answer.requestId !== turn.requestId &&
      !isTurnActive(turn) &&
      storedRequestIds.has(turn.requestId)
    )
      items.push({ kind: 'stored', key: answer.id, message: answer, prompt: asked });
    else items.push({ kind: 'turn', key: turn.requestId, turn, stored: answer, prompt: asked });
  }
  stored.slice(next).forEach(pushStored);
  return items;
}

/** The turns a view shows: its conversation's, or (new chat) those not yet given one. */
export function turnsOf(turns: readonly ChatTurn[], conversationId: string | null): ChatTurn[] {
  return turns.filter((turn) => turn.conversationId === conversationId);
}

export type ConversationGroup = 'today' | 'week' | 'older';

const DAY_MS = 86_400_000;

/** Sidebar groups by the last activity, in the reader's calendar: today, the 7 days before, older. */
export function conversationGroup(updatedAt: string, now: number): ConversationGroup {
  const time = new Date(updatedAt).getTime();
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  if (Number.isNaN(time) || time >= midnight.getTime()) return 'today';
  return time >= midnight.getTime() - 7 * DAY_MS ? 'week' : 'older';
}
