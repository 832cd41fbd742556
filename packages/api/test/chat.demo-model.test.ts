// The built-in demo model: answers that vary with the prompt and show what the chat renders, the
// same answer for the same prompt, and max tokens honoured exactly (with `length`).
import { countTokens } from 'gpt-tokenizer';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDemoProvider,
  DEMO_TOPICS,
  demoAnswer,
  imageNote,
} from '../src/chat/providers/demo-provider.ts';
import { createProviderRegistry } from '../src/chat/providers/registry.ts';
import { type ChatEvent, runChat } from '../src/chat/run-chat.ts';
import { chatDepsOf, chatMember, type EngineTestApi, openTestApi } from './harness.ts';

const PROMPTS = Array.from({ length: 24 }, (_, i) => `Question number ${i} about Tessera`);

describe('the demo model', () => {
  let api: EngineTestApi | undefined;
  afterEach(() => api?.destroy());

  it('varies with the prompt, and gives the same answer to the same prompt', () => {
    const answers = new Set(
      PROMPTS.map((p) => demoAnswer(p).replace(/^You asked: ".*"\.\n\n/, '')),
    );
    expect(answers.size).toBeGreaterThanOrEqual(DEMO_TOPICS.length);
    expect(demoAnswer('Hello there')).toBe(demoAnswer('Hello there'));
    expect(demoAnswer('Hello there').startsWith('You asked: "Hello there".')).toBe(true);
  });

  it('says how many images it got and what they are, after its opening', () => {
    const gif = `data:image/gif;base64,${Buffer.from('GIF89a\x07\x00\x05\x00', 'latin1').toString('base64')}`;
    const jpeg = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]).toString('base64')}`;
    expect(imageNote([])).toBe('');
    expect(imageNote([gif, jpeg, 'https://example.com/cat.png'])).toBe(
      'I see 3 images (GIF, 7×5 px; JPEG, 6 bytes; a linked image).\n\n',
    );
    expect(demoAnswer('Look', [gif])).toMatch(
      /^You asked: "Look"\.\n\nI see 1 image \(GIF, 7×5 px\)\.\n\n## /,
    );
  });

  it('shows a heading, a list, a fenced code block with its language, a table, and sometimes math', () => {
    for (const prompt of PROMPTS) {
      const answer = demoAnswer(prompt);
      expect(answer).toMatch(/^## .+$/m);
      expect(answer).toMatch(/^- .+$/m);
      expect(answer).toMatch(/^```[a-z]+\n[\s\S]+?\n```$/m);
      expect(answer).toMatch(/^\| .+ \|\n\| --- \| --- \| --- \|$/m);
    }
    const withMath = PROMPTS.filter((p) => /\$[^$\n]+\$/.test(demoAnswer(p)));
    expect(withMath.length).toBeGreaterThan(0);
    expect(withMath.length).toBeLessThan(PROMPTS.length);
  });

  it('stops after exactly max tokens through the engine, finishing with "length"', async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const m = await chatMember(api, 'capped@example.com');
    const run = async (maxOutputTokens?: number) => {
      const events: ChatEvent[] = [];
      for await (const e of runChat(
        chatDepsOf(api!, {
          providers: createProviderRegistry({
            demo: createDemoProvider({ timeToFirstTokenMs: 0, tokensPerSecond: 5000 }),
          }),
        }),
        {
          member: await m.context(),
          requestId: `cap-${maxOutputTokens}`,
          modelId: 'tessera-mini',
          messages: [{ role: 'user', content: 'Hello there' }],
          maxOutputTokens,
        },
      ))
        events.push(e);
      const text = events.map((e) => (e.type === 'delta' ? e.text : '')).join('');
      return { text, done: events.at(-1) as Extract<ChatEvent, { type: 'done' }> };
    };
    for (const cap of [1, 5, 17]) {
      const { text, done } = await run(cap);
      expect(countTokens(text)).toBe(cap);
      expect(done).toMatchObject({ status: 'complete', finishReason: 'length' });
      expect(done.usage.outputTokens).toBe(cap);
    }
    const whole = await run(2000);
    expect(whole.text).toBe(demoAnswer('Hello there'));
    expect(whole.done.finishReason).toBe('stop');
  });
});
