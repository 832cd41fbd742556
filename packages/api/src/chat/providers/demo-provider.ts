// The built-in offline model: answers with plausible text at a realistic pace, so the whole
// product works on a machine with no network and no keys. It honours max tokens and aborts.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatProvider, ProviderEvent, ProviderRequest } from './types.ts';

const SENTENCES = [
  'Here is a short answer from the offline demo model.',
  'It runs inside Tessera, so everything works without a network connection or an API key.',
  'Point OPENAI_BASE_URL at any OpenAI-compatible server to talk to a real model instead.',
  'Your plan decides which models you may use, how many requests a day you get, and how many credits each answer costs.',
  'Long answers stream word by word, and a stream stops the moment your plan no longer covers it.',
  'Credits are reserved for the worst case before an answer starts and settled for what was really used.',
];

export interface DemoProviderOptions {
  /** Delay before the first token (ms). */
  timeToFirstTokenMs?: number;
  /** Words per second after that. */
  tokensPerSecond?: number;
}

function words(prompt: string): string[] {
  const topic = prompt.trim().split(/\s+/).slice(0, 8).join(' ');
  const opening = topic
    ? `You asked: "${topic}${prompt.trim().split(/\s+/).length > 8 ? '…' : ''}". `
    : '';
  return `${opening}${SENTENCES.join(' ')}`.split(/(?<=\s)/);
}

export function createDemoProvider(options: DemoProviderOptions = {}): ChatProvider {
  const ttft = options.timeToFirstTokenMs ?? 300;
  const interval = 1000 / (options.tokensPerSecond ?? 30);
  return {
    id: 'demo',
    async *stream(request: ProviderRequest): AsyncIterable<ProviderEvent> {
      const prompt = request.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
      const parts = words(prompt).slice(0, Math.max(0, request.maxOutputTokens));
      await sleep(ttft, undefined, { signal: request.signal });
      for (const [i, text] of parts.entries()) {
        if (i > 0) await sleep(interval, undefined, { signal: request.signal });
        yield { type: 'delta', text };
      }
      // No usage block: like many self-hosted servers, the engine counts the tokens itself.
    },
  };
}
