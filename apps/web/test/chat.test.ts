import { describe, expect, it } from 'vitest';
import {
  applyChatEvent,
  buildThread,
  type ChatTurn,
  collapseAlternatives,
  conversationGroup,
  hasTools,
  isTurnActive,
  NO_TOOLS,
  startTurn,
  type ThreadItem,
  turnsOf,
  turnsReducer,
} from '../src/lib/chat.ts';
import { toAppError } from '../src/lib/errors.ts';
import type { ChatEvent, StopReason, StoredMessage } from '../src/lib/trpc.ts';
import { PRO_UNLOCK } from './helpers.ts';

const USAGE = { inputTokens: 12, outputTokens: 30 };

function turn(overrides: Partial<ChatTurn> = {}): ChatTurn {
  return {
    ...startTurn({
      requestId: 'r1',
      conversationId: null,
      model: 'tessera-mini',
      prompt: 'Hello there',
      storedBefore: 0,
      heldMarks: ['free'],
    }),
    ...overrides,
  };
}

const play = (start: ChatTurn, events: ChatEvent[]) => events.reduce(applyChatEvent, start);

const admitted: ChatEvent = {
  type: 'admitted',
  requestId: 'r1',
  conversationId: 'c1',
  reserved: 230,
  maxOutputTokens: 1024,
};
const delta = (text: string): ChatEvent => ({ type: 'delta', text });

const modelLost: StopReason = {
  code: 'MODEL_NOT_IN_PLAN',
  message: 'Your plan does not include the model "tessera-plus".',
  unlock: [PRO_UNLOCK],
};

describe('applyChatEvent', () => {
  it('streams an answer from admission to done', () => {
    const start = turn();
    expect(start.phase).toBe('pending');
    expect(isTurnActive(start)).toBe(true);

    const streaming = play(start, [admitted, delta('Hello'), delta(', world')]);
    expect(streaming).toMatchObject({
      phase: 'streaming',
      admitted: true,
      conversationId: 'c1',
      reserved: 230,
      answer: 'Hello, world',
    });

    const done = applyChatEvent(streaming, {
      type: 'done',
      status: 'complete',
      usage: USAGE,
      charged: 7,
    });
    expect(done).toMatchObject({ phase: 'complete', charged: 7, answer: 'Hello, world' });
    expect(isTurnActive(done)).toBe(false);
  });

  it('turns a refusal into the reason, with nothing stored', () => {
    const quota: StopReason = {
      code: 'QUOTA_EXCEEDED',
      message: 'The daily request limit is reached.',
      details: { window: 'day', limit: 20, resetsAt: '2026-11-23T00:00:00.000Z' },
    };
    const refused = applyChatEvent(turn(), { type: 'refused', reason: quota });
    expect(refused).toMatchObject({ phase: 'refused', admitted: false, answer: '' });
    expect(refused.reason).toEqual(quota);
  });

  it('keeps the partial answer of a cut-off, with its reason and charge', () => {
    const cut = play(turn(), [
      admitted,
      delta('Half an '),
      delta('answer'),
      { type: 'cut_off', reason: modelLost, usage: USAGE, charged: 3 },
    ]);
    expect(cut).toMatchObject({ phase: 'cut_off', answer: 'Half an answer', charged: 3 });
    expect(cut.reason?.unlock?.[0]?.markKey).toBe('pro');
  });

  it('ignores events once the turn has ended', () => {
    const done = play(turn(), [
      admitted,
      delta('One'),
      { type: 'done', status: 'complete', usage: USAGE, charged: 1 },
      delta(' more'),
    ]);
    expect(done.answer).toBe('One');
  });

  it('marks a model failure', () => {
    const failed = play(turn(), [
      admitted,
      delta('Par'),
      { type: 'done', status: 'error', usage: USAGE, charged: 1, error: 'upstream 500' },
    ]);
    expect(failed).toMatchObject({ phase: 'error', failure: { kind: 'model' }, answer: 'Par' });
  });

  it('takes a replayed answer as stored', () => {
    const replayed = applyChatEvent(turn(), {
      type: 'replay',
      conversationId: 'c9',
      content: 'The whole answer',
      status: 'aborted',
    });
    expect(replayed).toMatchObject({
      phase: 'stopped',
      admitted: true,
      conversationId: 'c9',
      answer: 'The whole answer',
    });
  });

  it('reads a refusal after admission as a reconnect racing the original request', () => {
    const raced = play(turn(), [
      admitted,
      delta('Hi'),
      { type: 'refused', reason: { code: 'CONFLICT', message: 'Already being answered.' } },
    ]);
    expect(raced).toMatchObject({ phase: 'error', failure: { kind: 'connection' }, answer: 'Hi' });
  });
});

describe('turnsReducer', () => {
  it('routes events by request id, stops and fails only running turns', () => {
    let turns = turnsReducer([], { type: 'start', turn: turn() });
    turns = turnsReducer(turns, { type: 'start', turn: turn({ requestId: 'r2' }) });
    turns = turnsReducer(turns, { type: 'event', requestId: 'r1', event: admitted });
    turns = turnsReducer(turns, { type: 'event', requestId: 'r1', event: delta('Partial') });
    turns = turnsReducer(turns, { type: 'stop', requestId: 'r1' });
    expect(turns[0]).toMatchObject({ phase: 'stopped', answer: 'Partial' });
    expect(turns[1]?.phase).toBe('pending');

    const error = toAppError(new Error('offline'));
    turns = turnsReducer(turns, { type: 'fail', requestId: 'r2', error });
    turns = turnsReducer(turns, { type: 'fail', requestId: 'r1', error });
    expect(turns[1]).toMatchObject({ phase: 'error', failure: { kind: 'request', error } });
    expect(turns[0]?.phase).toBe('stopped');

    expect(turnsOf(turns, 'c1').map((t) => t.requestId)).toEqual(['r1']);
    expect(turnsOf(turns, null).map((t) => t.requestId)).toEqual(['r2']);
    expect(turnsReducer(turns, { type: 'forget', conversationId: 'c1' })).toHaveLength(1);
  });
});

function message(id: string, role: 'user' | 'assistant', content: string): StoredMessage {
  return {
    id,
    role,
    content,
    images: [],
    requestId: role === 'assistant' ? `req-${id}` : null,
    status: role === 'assistant' ? 'complete' : null,
    modelId: role === 'assistant' ? 'tessera-mini' : null,
    credits: role === 'assistant' ? 5 : null,
    endReason: null,
    plugin: null,
    replyTo: null,
    shownAnswerId: null,
    assistant: null,
    createdAt: '2026-11-22T10:00:00.000Z',
  };
}

const shape = (items: ThreadItem[]) =>
  items.map((item) =>
    item.kind === 'turn' ? `turn:${item.turn.requestId}:${item.stored?.id ?? '-'}` : item.key,
  );

describe('buildThread', () => {
  const earlier = [message('u0', 'user', 'First'), message('a0', 'assistant', 'Answer')];

  it('shows stored messages, then the live turns in place of what they stored', () => {
    const live = turn({
      conversationId: 'c1',
      storedBefore: 2,
      admitted: true,
      phase: 'streaming',
    });
    // Before the refetch: only the earlier exchange is stored.
    expect(shape(buildThread(earlier, [live]))).toEqual(['u0', 'a0', 'r1:prompt', 'turn:r1:-']);
    // After it: the turn's prompt and answer are not shown twice; the answer is attached.
    const refetched = [
      ...earlier,
      message('u1', 'user', 'Hello there'),
      message('a1', 'assistant', 'Hi'),
    ];
    expect(shape(buildThread(refetched, [live]))).toEqual(['u0', 'a0', 'r1:prompt', 'turn:r1:a1']);
    // Messages stored after them (another tab) follow at the end.
    const more = [...refetched, message('u2', 'user', 'Elsewhere')];
    expect(shape(buildThread(more, [live])).at(-1)).toBe('u2');
  });

  it('lets a refused turn store nothing, and matches a turn stopped before admission', () => {
    const refused = turn({ requestId: 'rA', phase: 'refused', storedBefore: 0 });
    const stopped = turn({ requestId: 'rB', phase: 'stopped', prompt: 'Again' });
    const stored = [message('u1', 'user', 'Again'), message('a1', 'assistant', '')];
    expect(shape(buildThread(stored, [refused, stopped]))).toEqual([
      'rA:prompt',
      'turn:rA:-',
      'rB:prompt',
      'turn:rB:a1',
    ]);
  });

  it('is just the stored messages when this tab sent none', () => {
    expect(buildThread(earlier, []).map((item) => item.kind)).toEqual(['prompt', 'stored']);
  });

  it('says what a live prompt was sent with', () => {
    const tools = {
      assistant: { id: 'acme-seo-writer', name: 'Acme SEO Writer' },
      plugin: { id: 'translate', name: 'Translate', options: { language: 'French' } },
    };
    const plain = turn({ requestId: 'rA', storedBefore: 2 });
    const withTools = turn({ requestId: 'rB', storedBefore: 2, tools });
    const prompts = buildThread(earlier, [plain, withTools]).filter(
      (item) => item.kind === 'prompt',
    );
    expect(prompts.map((item) => item.tools)).toEqual([NO_TOOLS, NO_TOOLS, tools]);
    expect(prompts.map((item) => hasTools(item.tools))).toEqual([false, false, true]);
  });

  it('pairs each stored answer with the stored prompt it answers, for a Retry', () => {
    const seo = { id: 'acme-seo-writer', name: 'Acme SEO Writer' };
    const stored: StoredMessage[] = [
      message('u0', 'user', 'Plain'),
      { ...message('a0', 'assistant', ''), status: 'error' },
      { ...message('u1', 'user', 'Rank me'), assistant: seo },
      { ...message('a1', 'assistant', 'Ranked'), modelId: 'tessera-pro' },
      // An answer with no prompt stored before it.
      message('a2', 'assistant', 'Orphan'),
    ];
    const answers = buildThread(stored, []).flatMap((item) =>
      item.kind === 'stored' ? [[item.key, item.prompt]] : [],
    );
    expect(answers).toEqual([
      ['a0', { id: 'u0', content: 'Plain', tools: NO_TOOLS }],
      ['a1', { id: 'u1', content: 'Rank me', tools: { assistant: seo, plugin: null } }],
      ['a2', null],
    ]);
  });

  it('shows one answer per prompt (the picked one, else the latest) and says which of how many', () => {
    const stored: StoredMessage[] = [
      { ...message('u0', 'user', 'Colour?'), shownAnswerId: 'a0' },
      { ...message('a0', 'assistant', 'Red'), replyTo: 'u0' },
      { ...message('a1', 'assistant', 'Blue'), replyTo: 'u0' },
      message('u1', 'user', 'Shape?'),
      { ...message('a2', 'assistant', 'Round'), replyTo: 'u1' },
      { ...message('a3', 'assistant', 'Square'), replyTo: 'u1' },
      { ...message('a4', 'assistant', 'Flat'), replyTo: 'u1' },
    ];
    const { messages, alternatives } = collapseAlternatives(stored);
    expect(messages.map((m) => m.id)).toEqual(['u0', 'a0', 'u1', 'a4']);
    expect(alternatives.get('a0')).toEqual({ ids: ['a0', 'a1'], index: 0 });
    expect(alternatives.get('a4')).toEqual({ ids: ['a2', 'a3', 'a4'], index: 2 });
    // A live regenerate turn whose own answer is stored but not shown gives way to the shown one.
    const turn = {
      ...startTurn({
        requestId: 'req-a4',
        conversationId: 'c1',
        model: 'tessera-mini',
        prompt: 'Shape?',
        storedBefore: 2,
        heldMarks: [],
      }),
      admitted: true,
      phase: 'complete' as const,
    };
    const flipped = { ...messages[1]!, id: 'a2', requestId: 'req-a2' };
    const shown = [messages[0]!, messages[1]!, messages[2]!, flipped];
    expect(shape(buildThread(shown, [turn], [], new Set(['req-a2', 'req-a4'])))).toEqual([
      'u0',
      'a0',
      'req-a4:prompt',
      'a2',
    ]);
    expect(shape(buildThread(messages, [turn], [], new Set(['req-a4'])))).toEqual([
      'u0',
      'a0',
      'req-a4:prompt',
      'turn:req-a4:a4',
    ]);
  });

  it('says what a stored prompt was sent with, after a reload', () => {
    const registry = [
      { id: 'translate', name: 'Translate' },
      { id: 'summarize', name: 'Summarize' },
    ];
    const stored: StoredMessage[] = [
      message('u0', 'user', 'Plain'),
      message('a0', 'assistant', 'Answer'),
      {
        ...message('u1', 'user', 'Bonjour'),
        plugin: { id: 'translate', options: { language: 'French' } },
      },
      message('a1', 'assistant', 'Hello'),
      {
        ...message('u2', 'user', 'Rank me'),
        assistant: { id: 'acme-seo-writer', name: 'Acme SEO Writer' },
        plugin: { id: 'summarize' },
      },
      message('a2', 'assistant', 'Ranked'),
      // A plugin the registry no longer lists is still shown, by its id.
      { ...message('u3', 'user', 'Old'), plugin: { id: 'retired' } },
    ];
    const prompts = buildThread(stored, [], registry).filter((item) => item.kind === 'prompt');
    expect(prompts.map((item) => [item.key, item.tools])).toEqual([
      ['u0', NO_TOOLS],
      [
        'u1',
        {
          assistant: null,
          plugin: { id: 'translate', name: 'Translate', options: { language: 'French' } },
        },
      ],
      [
        'u2',
        {
          assistant: { id: 'acme-seo-writer', name: 'Acme SEO Writer' },
          plugin: { id: 'summarize', name: 'Summarize' },
        },
      ],
      ['u3', { assistant: null, plugin: { id: 'retired', name: 'retired' } }],
    ]);
    // Before this tab's turns too, and without the registry (still loading): named by id.
    const live = turn({ requestId: 'rA', conversationId: 'c1', storedBefore: 4 });
    const before = buildThread(stored.slice(0, 4), [live]).find((item) => item.key === 'u1');
    expect(before).toMatchObject({
      kind: 'prompt',
      tools: { assistant: null, plugin: { id: 'translate', name: 'translate' } },
    });
  });
});

describe('conversationGroup', () => {
  const now = new Date(2026, 10, 22, 15, 0).getTime();
  it('groups by the reader’s calendar day', () => {
    expect(conversationGroup(new Date(2026, 10, 22, 0, 5).toISOString(), now)).toBe('today');
    expect(conversationGroup(new Date(2026, 10, 21, 23, 59).toISOString(), now)).toBe('week');
    expect(conversationGroup(new Date(2026, 10, 15, 0, 0).toISOString(), now)).toBe('week');
    expect(conversationGroup(new Date(2026, 10, 14, 23, 0).toISOString(), now)).toBe('older');
  });
});

describe('the new-chat view', () => {
  it('takes a refusal along when the next message opens the conversation', () => {
    const quota: StopReason = { code: 'RATE_LIMITED', message: 'Slow down.' };
    let turns = turnsReducer([], { type: 'start', turn: turn({ requestId: 'rA' }) });
    turns = turnsReducer(turns, {
      type: 'event',
      requestId: 'rA',
      event: { type: 'refused', reason: quota },
    });
    turns = turnsReducer(turns, { type: 'start', turn: turn({ requestId: 'rB' }) });
    turns = turnsReducer(turns, {
      type: 'event',
      requestId: 'rB',
      event: { ...admitted, requestId: 'rB' },
    });
    expect(turnsOf(turns, 'c1').map((t) => t.requestId)).toEqual(['rA', 'rB']);
    expect(turnsOf(turns, null)).toEqual([]);
  });

  it('starts empty again on "New chat", keeping an answer still on its way', () => {
    let turns = turnsReducer([], {
      type: 'start',
      turn: turn({ requestId: 'rA', phase: 'refused' }),
    });
    turns = turnsReducer(turns, { type: 'start', turn: turn({ requestId: 'rB' }) });
    turns = turnsReducer(turns, {
      type: 'start',
      turn: turn({ requestId: 'rC', conversationId: 'c2', phase: 'complete' }),
    });
    expect(turnsReducer(turns, { type: 'clearDraft' }).map((t) => t.requestId)).toEqual([
      'rB',
      'rC',
    ]);
  });
});

describe('fallback model', () => {
  it('answers with the plan’s fallback model when credits cannot cover the chosen one', () => {
    const fallback = play(turn({ model: 'tessera-plus' }), [
      {
        type: 'notice',
        code: 'FALLBACK_MODEL',
        from: 'tessera-plus',
        to: 'tessera-mini',
        reason: 'Not enough credits for this request.',
      },
      admitted,
      delta('Cheaper'),
      { type: 'done', status: 'complete', usage: USAGE, charged: 2 },
    ]);
    expect(fallback).toMatchObject({
      phase: 'complete',
      model: 'tessera-mini',
      fallbackFrom: 'tessera-plus',
      answer: 'Cheaper',
    });
  });
});
