// The built-in offline model: answers at a realistic pace, so the whole product works on a
// machine with no network and no keys. It is also the model people try first, so each answer
// shows what the chat can render — a heading, a list, a fenced code block with its language, a
// table, and for some prompts inline math — and different prompts get different answers.
//
// Deterministic: the answer is a pure function of the last user message (picked by a hash of it),
// so tests can rely on it. Every answer begins with the stable prefix `You asked: "<first 8 words>".`
// Images in that message are acknowledged right after it ("I see 1 image (PNG, 2×3 px).") so a
// test can tell they reached the model.
// It honours max tokens exactly: an answer longer than `maxOutputTokens` (counted with the same
// tokenizer the engine bills with) stops at that many tokens and finishes with `length`.
import { setTimeout as sleep } from 'node:timers/promises';
import { decode, encode } from 'gpt-tokenizer';
import type { ChatProvider, ProviderEvent, ProviderRequest } from './types.ts';

export interface DemoProviderOptions {
  /** Delay before the first token (ms). */
  timeToFirstTokenMs?: number;
  /** Chunks (words with their trailing space) per second after that. */
  tokensPerSecond?: number;
}

interface Topic {
  title: string;
  intro: string;
  points: string[];
  language: string;
  code: string;
  table: { head: [string, string, string]; rows: [string, string, string][] };
}

const FENCE = '```';

/** What the demo can talk about; a prompt's hash picks one. */
export const DEMO_TOPICS: readonly Topic[] = [
  {
    title: 'How a request is billed',
    intro:
      'Credits are reserved for the worst case before an answer starts, then settled for what was really used.',
    points: [
      '**Admission** counts the request against your daily quota.',
      '**Reservation** holds credits for the longest answer your plan allows.',
      '**Settlement** charges the tokens delivered and releases the rest.',
    ],
    language: 'ts',
    code: 'const cost = Math.ceil((inputTokens * inputPrice + outputTokens * outputPrice) / 1_000_000);',
    table: {
      head: ['Step', 'When', 'Writes'],
      rows: [
        ['Admit', 'before the model', 'quota + hold'],
        ['Settle', 'after the last token', 'charge + release'],
      ],
    },
  },
  {
    title: 'Plans and models',
    intro:
      'Your plan decides which models you may use, how many requests a day you get, and how many credits each answer costs.',
    points: [
      'The free plan answers with the basic model.',
      'Pro unlocks better models and premium plugins.',
      'A stream stops the moment your plan no longer covers it.',
    ],
    language: 'python',
    code: 'def allowed(plan, model):\n    return model in plan["models"]',
    table: {
      head: ['Plan', 'Models', 'Requests a day'],
      rows: [
        ['Free', 'tessera-mini', '20'],
        ['Pro', 'tessera-mini, tessera-plus', 'more'],
      ],
    },
  },
  {
    title: 'Talking to a real model',
    intro:
      'This answer comes from the offline demo model, which runs inside Tessera without a network connection or an API key.',
    points: [
      'Set `OPENAI_BASE_URL` to any OpenAI-compatible server.',
      'Set `OPENAI_API_KEY` if that server needs one.',
      'Restart Tessera; admins can add more providers in the console.',
    ],
    language: 'bash',
    code: 'OPENAI_BASE_URL=http://localhost:11434/v1 pnpm start',
    table: {
      head: ['Variable', 'Default', 'Meaning'],
      rows: [
        ['OPENAI_BASE_URL', '(none)', 'the upstream endpoint'],
        ['PORT', '3000', 'where Tessera listens'],
      ],
    },
  },
  {
    title: 'Usage at a glance',
    intro:
      'Every answer is recorded with its tokens and its cost, so the usage page can show where your credits went.',
    points: [
      'Counters reset at the start of each day and month.',
      'The next reset is shown beside each meter.',
      'Long answers stream word by word.',
    ],
    language: 'sql',
    code: 'select date(created_at), sum(credits)\nfrom messages\ngroup by 1;',
    table: {
      head: ['Window', 'Resets', 'Counts'],
      rows: [
        ['Day', 'midnight', 'requests'],
        ['Month', 'the 1st', 'requests + tokens'],
      ],
    },
  },
];

const MATH = [
  'The charge follows $c = \\lceil (t_{in} p_{in} + t_{out} p_{out}) / 10^6 \\rceil$ credits.',
  'With $n$ requests left today, you can ask $n$ more questions before $00{:}00$.',
];

/** FNV-1a: a small, stable hash (the same prompt always picks the same answer). */
export function promptHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** How the demo describes one image part: its size in pixels when PNG or GIF says it cheaply. */
export function describeImage(url: string): string {
  const match = /^data:(image\/[a-z+.-]+);base64,(.*)$/i.exec(url);
  if (!match) return 'a linked image';
  const bytes = Buffer.from(match[2]!, 'base64');
  const kind = match[1]!.slice(6).toUpperCase();
  const png = kind === 'PNG' && bytes.length >= 24;
  const gif = kind === 'GIF' && bytes.length >= 10;
  if (png) return `${kind}, ${bytes.readUInt32BE(16)}×${bytes.readUInt32BE(20)} px`;
  if (gif) return `${kind}, ${bytes.readUInt16LE(6)}×${bytes.readUInt16LE(8)} px`;
  return `${kind}, ${bytes.length} bytes`;
}

/** The sentence with which the demo shows that images reached it ('' without any). */
export function imageNote(urls: readonly string[]): string {
  if (urls.length === 0) return '';
  const noun = urls.length === 1 ? 'image' : 'images';
  return `I see ${urls.length} ${noun} (${urls.map(describeImage).join('; ')}).\n\n`;
}

/** The whole answer the demo gives to `prompt` (before any token cap). */
export function demoAnswer(prompt: string, imageUrls: readonly string[] = []): string {
  const words = prompt.trim().split(/\s+/).filter(Boolean);
  const opening = words.length
    ? `You asked: "${words.slice(0, 8).join(' ')}${words.length > 8 ? '…' : ''}".\n\n`
    : '';
  const hash = promptHash(prompt.trim());
  const topic = DEMO_TOPICS[hash % DEMO_TOPICS.length]!;
  const math = (hash >>> 4) % 2 === 0 ? `\n\n${MATH[(hash >>> 5) % MATH.length]}` : '';
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    `${opening}${imageNote(imageUrls)}## ${topic.title}`,
    topic.intro,
    topic.points.map((p) => `- ${p}`).join('\n'),
    `${FENCE}${topic.language}\n${topic.code}\n${FENCE}`,
    [row(topic.table.head), row(['---', '---', '---']), ...topic.table.rows.map(row)].join('\n') +
      math,
    'Point `OPENAI_BASE_URL` at an OpenAI-compatible server to talk to a real model instead.',
  ].join('\n\n');
}

/** The answer cut to `maxTokens` tokens, and whether it had to be cut. */
export function capTokens(text: string, maxTokens: number): { text: string; cut: boolean } {
  const tokens = encode(text);
  if (tokens.length <= maxTokens) return { text, cut: false };
  return { text: decode(tokens.slice(0, Math.max(0, maxTokens))), cut: true };
}

export function createDemoProvider(options: DemoProviderOptions = {}): ChatProvider {
  const ttft = options.timeToFirstTokenMs ?? 300;
  const interval = 1000 / (options.tokensPerSecond ?? 30);
  return {
    id: 'demo',
    async *stream(request: ProviderRequest): AsyncIterable<ProviderEvent> {
      const last = request.messages.filter((m) => m.role === 'user').at(-1);
      const images = (last?.parts ?? []).flatMap((part) =>
        part.type === 'image_url' ? [part.image_url.url] : [],
      );
      const answer = capTokens(demoAnswer(last?.content ?? '', images), request.maxOutputTokens);
      // Streamed a word at a time (each with the whitespace after it).
      const parts = answer.text.split(/(?<=\s)(?=\S)/).filter(Boolean);
      await sleep(ttft, undefined, { signal: request.signal });
      for (const [i, text] of parts.entries()) {
        if (i > 0) await sleep(interval, undefined, { signal: request.signal });
        yield { type: 'delta', text };
      }
      yield { type: 'finish', reason: answer.cut ? 'length' : 'stop' };
      // No usage block: like many self-hosted servers, the engine counts the tokens itself.
    },
  };
}
