// The /v1 parse phase and the request half of the translation, on their own: what is accepted,
// what is dropped, what is refused, and what the engine is given.
import { describe, expect, it } from 'vitest';
import { type CompletionRequest, parseCompletion } from '../src/http/openai/parse.ts';
import { toEngineInput } from '../src/http/openai/translate.ts';

const base = { model: 'tessera-plus', messages: [{ role: 'user', content: 'Hi' }] };

function parsed(json: unknown): CompletionRequest {
  const result = parseCompletion(json);
  if (!result.ok) throw new Error(result.body.error.message);
  return result.request;
}

function refused(json: unknown): string {
  const result = parseCompletion(json);
  if (result.ok) throw new Error('accepted');
  expect(result.status).toBe(400);
  expect(result.body.error.type).toBe('invalid_request_error');
  return result.body.error.message;
}

describe('/v1 parse', () => {
  it('accepts tools, tool calls, tool results, images and names, and drops fields it does not forward', () => {
    const request = parsed({
      ...base,
      messages: [
        { role: 'developer', content: 'Be brief.' },
        {
          role: 'user',
          name: 'alice',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'high' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'result' },
      ],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      n: 1,
      logprobs: false,
      metadata: { a: 'b' },
      store: true,
    });
    expect(request.messages).toHaveLength(4);
    expect(request).not.toHaveProperty('metadata');
    expect(request).not.toHaveProperty('n');
  });

  it('refuses what it would have to guess at', () => {
    expect(refused({ ...base, messages: [{ role: 'tool', content: 'x' }] })).toContain(
      'tool_call_id',
    );
    expect(refused({ ...base, messages: [{ role: 'root', content: 'x' }] })).toContain(
      'messages.0',
    );
    expect(
      refused({
        ...base,
        messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }],
      }),
    ).toContain('messages.0');
    expect(
      refused({
        ...base,
        messages: [
          {
            role: 'user',
            content: [{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }],
          },
        ],
      }),
    ).toContain('url');
    expect(refused({ ...base, temperature: 3 })).toContain('temperature');
    expect(refused({ ...base, top_p: -1 })).toContain('top_p');
    expect(refused({ ...base, stop: ['a', 'b', 'c', 'd', 'e'] })).toContain('stop');
    expect(refused({ ...base, seed: 1.5 })).toContain('seed');
    expect(refused({ ...base, tools: 'all' })).toContain('tools');
    expect(
      refused(JSON.parse('{"model":"m","messages":[{"role":"user","content":"a\\u202eb"}]}')),
    ).toContain('messages.0.content');
  });
});

describe('/v1 request → engine input', () => {
  it('gives the engine our message shape: roles mapped, parts kept for images, tool calls carried', () => {
    const input = toEngineInput(
      parsed({
        ...base,
        messages: [
          {
            role: 'developer',
            content: [
              { type: 'text', text: 'Be ' },
              { type: 'text', text: 'brief.' },
            ],
          },
          {
            role: 'user',
            name: 'alice',
            content: [
              { type: 'text', text: 'Look: ' },
              {
                type: 'image_url',
                image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' },
              },
            ],
          },
          { role: 'user', content: [{ type: 'text', text: 'only text' }] },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: 'c1', content: 'done' },
        ],
        max_tokens: 50,
        max_completion_tokens: 40,
      }),
    );
    expect(input.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: 'Look: ',
        name: 'alice',
        parts: [
          { type: 'text', text: 'Look: ' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
        ],
      },
      { role: 'user', content: 'only text' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
      { role: 'tool', content: 'done', toolCallId: 'c1' },
    ]);
    expect(input.maxOutputTokens).toBe(40);
    expect(input).not.toHaveProperty('upstream');
  });

  it('forwards exactly the listed parameters that were given (null is not given)', () => {
    const input = toEngineInput(
      parsed({
        ...base,
        temperature: 0,
        top_p: null,
        stop: 'END',
        seed: 7,
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } },
        presence_penalty: -1,
        frequency_penalty: 1,
        user: 'u',
        tool_choice: 'required',
        parallel_tool_calls: true,
        tools: [{ type: 'function', function: { name: 'f' } }],
        stream: true,
      }),
    );
    expect(input.upstream).toEqual({
      temperature: 0,
      stop: 'END',
      seed: 7,
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } },
      presence_penalty: -1,
      frequency_penalty: 1,
      user: 'u',
      tool_choice: 'required',
      parallel_tool_calls: true,
      tools: [{ type: 'function', function: { name: 'f' } }],
    });
  });
});
