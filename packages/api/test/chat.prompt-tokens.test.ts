// Admission's input estimate for /v1 prompts: tools, tool calls and results, and images by detail.
import { describe, expect, it } from 'vitest';
import { countPromptTokens, countTextTokens, IMAGE_TOKENS } from '../src/chat/billing-policy.ts';
import type { ProviderMessage } from '../src/chat/providers/types.ts';

const question: ProviderMessage = { role: 'user', content: 'What is the weather in Paris?' };

describe('prompt tokens', () => {
  it('counts text as before: its tokens plus 4 per message', () => {
    expect(countPromptTokens([question])).toBe(countTextTokens(question.content) + 4);
  });

  it('adds the tool definitions as their JSON', () => {
    const tools = [
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
    ];
    expect(countPromptTokens([question], tools)).toBe(
      countPromptTokens([question]) + countTextTokens(JSON.stringify(tools)),
    );
  });

  it("adds an assistant's tool calls and counts tool results", () => {
    const toolCalls = [
      {
        id: 'c1',
        type: 'function' as const,
        function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
      },
    ];
    const withCalls = countPromptTokens([question, { role: 'assistant', content: '', toolCalls }]);
    expect(withCalls).toBe(
      countPromptTokens([question]) + 4 + countTextTokens(JSON.stringify(toolCalls)),
    );
    const result: ProviderMessage = { role: 'tool', content: '{"celsius":21}', toolCallId: 'c1' };
    expect(countPromptTokens([result])).toBe(countTextTokens(result.content) + 4);
  });

  it('estimates an image by its detail: 85 low, 765 high or auto', () => {
    const image = (detail?: 'low' | 'high' | 'auto'): ProviderMessage => ({
      role: 'user',
      content: 'Look',
      parts: [
        { type: 'text', text: 'Look' },
        {
          type: 'image_url',
          image_url: { url: 'data:image/png;base64,AAAA', ...(detail ? { detail } : {}) },
        },
      ],
    });
    const text = countTextTokens('Look') + 4;
    expect(countPromptTokens([image('low')])).toBe(text + IMAGE_TOKENS.low);
    expect(countPromptTokens([image('high')])).toBe(text + 765);
    expect(countPromptTokens([image()])).toBe(text + 765);
    expect(IMAGE_TOKENS.low).toBe(85);
  });
});
