// The /v1 frame phase on its own: the engine's events in, OpenAI's frames out.
import type { ChatEvent } from '@tessera/api';
import { describe, expect, it } from 'vitest';
import { openAIDuration } from '../src/http/openai/authorize.ts';
import { CompletionFramer, type Frame } from '../src/http/openai/translate.ts';

const NOW = new Date('2026-01-01T00:00:20Z');
const usage = { inputTokens: 10, outputTokens: 5 };

function run(events: ChatEvent[], options: { stream: boolean; includeUsage?: boolean }) {
  const framer = new CompletionFramer({
    id: 'chatcmpl-x',
    model: 'm',
    stream: options.stream,
    includeUsage: options.includeUsage ?? false,
    now: () => NOW,
  });
  const frames: Frame[] = [];
  for (const event of events) {
    const out = framer.frame(event);
    frames.push(...out.frames);
    if (out.final) break;
  }
  return frames;
}

const admitted: ChatEvent = {
  type: 'admitted',
  requestId: 'r',
  conversationId: '',
  reserved: 1,
  maxOutputTokens: 100,
};
const toolEvents: ChatEvent[] = [
  admitted,
  { type: 'tool_call', index: 0, id: 'c1', name: 'get_weather' },
  { type: 'tool_call', index: 0, arguments: '{"city"' },
  { type: 'tool_call', index: 1, id: 'c2', name: 'get_time', arguments: '{}' },
  { type: 'tool_call', index: 0, arguments: ':"Paris"}' },
  { type: 'done', status: 'complete', usage, charged: 3 },
];

const deltas = (frames: Frame[]) =>
  frames.flatMap((f) =>
    f.kind === 'event'
      ? [(f.data as { choices: { delta: unknown; finish_reason: unknown }[] }).choices[0]]
      : [],
  );

describe('/v1 frame', () => {
  it('streams a role chunk, tool-call pieces as OpenAI does, the finish, usage and [DONE]', () => {
    const frames = run(toolEvents, { stream: true, includeUsage: true });
    expect(frames[0]).toMatchObject({ kind: 'open', headers: { 'x-tessera-model': 'm' } });
    expect(deltas(frames)).toEqual([
      { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null },
      {
        index: 0,
        delta: {
          tool_calls: [
            {
              index: 0,
              id: 'c1',
              type: 'function',
              function: { name: 'get_weather', arguments: '' },
            },
          ],
        },
        finish_reason: null,
      },
      {
        index: 0,
        delta: { tool_calls: [{ index: 0, function: { arguments: '{"city"' } }] },
        finish_reason: null,
      },
      {
        index: 0,
        delta: {
          tool_calls: [
            {
              index: 1,
              id: 'c2',
              type: 'function',
              function: { name: 'get_time', arguments: '{}' },
            },
          ],
        },
        finish_reason: null,
      },
      {
        index: 0,
        delta: { tool_calls: [{ index: 0, function: { arguments: ':"Paris"}' } }] },
        finish_reason: null,
      },
      // No finish reason from the provider: tool calls were made, so `tool_calls`.
      { index: 0, delta: {}, finish_reason: 'tool_calls' },
      undefined, // the usage chunk has no choices
    ]);
    const usageFrame = frames.at(-2) as {
      kind: 'event';
      data: { usage: unknown; choices: unknown[] };
    };
    expect(usageFrame.data).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    });
    expect(frames.at(-1)).toEqual({ kind: 'close' });
  });

  it('gathers tool-call pieces into one completion, content null beside them', () => {
    const [frame] = run(toolEvents, { stream: false });
    expect(frame).toMatchObject({
      kind: 'json',
      status: 200,
      body: {
        object: 'chat.completion',
        choices: [
          {
            finish_reason: 'tool_calls',
            message: {
              role: 'assistant',
              content: null,
              tool_calls: [
                {
                  id: 'c1',
                  type: 'function',
                  function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
                },
                { id: 'c2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
              ],
            },
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      },
    });
  });

  it("keeps the provider's finish reason and text", () => {
    const [frame] = run(
      [
        admitted,
        { type: 'delta', text: 'Hel' },
        { type: 'delta', text: 'lo' },
        { type: 'done', status: 'complete', usage, charged: 1, finishReason: 'length' },
      ],
      { stream: false },
    );
    expect(frame).toMatchObject({
      body: {
        choices: [{ finish_reason: 'length', message: { role: 'assistant', content: 'Hello' } }],
      },
    });
    expect(
      (frame as { body: { choices: { message: object }[] } }).body.choices[0]?.message,
    ).not.toHaveProperty('tool_calls');
  });

  it('gives a 429 Retry-After from the rate limit or the quota window', () => {
    const [limited] = run(
      [
        {
          type: 'refused',
          reason: {
            code: 'RATE_LIMITED',
            message: 'slow down',
            details: { retryAfterSeconds: 40 },
          },
        },
      ],
      { stream: true },
    );
    expect(limited).toMatchObject({
      kind: 'json',
      status: 429,
      headers: { 'retry-after': '40' },
      body: { error: { code: 'rate_limited', type: 'rate_limit_error' } },
    });
    const [quota] = run(
      [
        {
          type: 'refused',
          reason: {
            code: 'QUOTA_EXCEEDED',
            message: 'done for today',
            details: { resetsAt: '2026-01-01T00:01:00Z' },
          },
        },
      ],
      { stream: false },
    );
    expect(quota).toMatchObject({ status: 429, headers: { 'retry-after': '40' } });
    const [credits] = run(
      [{ type: 'refused', reason: { code: 'INSUFFICIENT_CREDITS', message: 'top up' } }],
      { stream: false },
    );
    expect(credits).toMatchObject({ status: 402, headers: {} });
  });

  it('names the fallback model, and ends a cut-off stream with an error event', () => {
    const frames = run(
      [
        { type: 'notice', code: 'FALLBACK_MODEL', from: 'm', to: 'cheap', reason: 'credits' },
        admitted,
        { type: 'delta', text: 'a' },
        {
          type: 'cut_off',
          reason: { code: 'MODEL_NOT_IN_PLAN', message: 'gone' },
          usage,
          charged: 1,
        },
      ],
      { stream: true },
    );
    expect(frames[0]).toMatchObject({
      kind: 'open',
      headers: { 'x-tessera-model': 'cheap', 'x-tessera-fallback-from': 'm' },
    });
    expect(frames.at(-2)).toMatchObject({
      kind: 'event',
      data: { error: { type: 'cut_off', code: 'model_not_in_plan' } },
    });
    expect(frames.at(-1)).toEqual({ kind: 'end' });
    const [failed] = run(
      [admitted, { type: 'done', status: 'error', usage, charged: 0, error: 'x' }],
      { stream: false },
    );
    expect(failed).toMatchObject({ status: 502, body: { error: { code: 'upstream_error' } } });
  });

  it("writes reset durations in OpenAI's format", () => {
    expect(openAIDuration(0)).toBe('0s');
    expect(openAIDuration(400)).toBe('1s');
    expect(openAIDuration(59_000)).toBe('59s');
    expect(openAIDuration(360_000)).toBe('6m0s');
    expect(openAIDuration(3_723_000)).toBe('1h2m3s');
  });
});
