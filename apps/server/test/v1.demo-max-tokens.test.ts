// /v1 with the official openai SDK against the built-in demo model: `max_tokens` is honoured
// exactly — that many completion tokens and `finish_reason: "length"` — streaming and not; an
// answer that fits finishes with "stop".
import type OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { enterpriseApiMember, startTestServer, type TestServer } from './harness.ts';

describe('/v1 max_tokens on the demo model', () => {
  let server: TestServer;
  afterEach(() => server.stop());

  async function client() {
    server = await startTestServer({ seedDemo: true, demoTokensPerSecond: 5000 });
    return (await enterpriseApiMember(server)).client;
  }

  it('stops after max_tokens tokens with finish_reason "length", streaming and not', async () => {
    const openai = await client();
    const completion = await openai.chat.completions.create({
      model: 'tessera-mini',
      messages: [{ role: 'user', content: 'Tell me about plans' }],
      max_tokens: 5,
    });
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(5);
    expect(completion.choices[0]?.message.content).toBe('You asked: "Tell');

    const stream = await openai.chat.completions.create({
      model: 'tessera-mini',
      messages: [{ role: 'user', content: 'Tell me about plans' }],
      max_tokens: 5,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('You asked: "Tell');
    expect(finish).toBe('length');
    expect(usage?.completion_tokens).toBe(5);
  });

  it('finishes with "stop" when the answer fits', async () => {
    const openai = await client();
    const completion = await openai.chat.completions.create({
      model: 'tessera-mini',
      messages: [{ role: 'user', content: 'Tell me about plans' }],
      max_tokens: 1000,
    });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.choices[0]?.message.content).toContain('```');
  });
});
