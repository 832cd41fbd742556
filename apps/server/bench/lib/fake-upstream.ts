// A fake OpenAI-compatible model server on 127.0.0.1 for the streaming benchmarks. It speaks the
// real wire format of `POST /v1/chat/completions` with `stream: true`: an SSE response of
// `data: {chat.completion.chunk}` lines (a role chunk, one chunk per token, a finish chunk), then
// the usage chunk when `stream_options.include_usage` is set, then `data: [DONE]`. Tokens leave on
// a schedule fixed at the request's arrival (first token after `ttftMs`, then `tokensPerSecond`),
// so the pace does not drift when the event loop is busy: a late timer sends the tokens that are
// due in one write, as a server that had produced them would.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type BenchServer, listenLocal } from './fixtures.ts';

export interface FakeUpstreamOptions {
  /** Delay from the request to the first token, ms (default 200). */
  ttftMs: number;
  /** Tokens per second after the first (default 50). */
  tokensPerSecond: number;
  /** Tokens in an answer (default 100); a smaller `max_tokens` in the request wins. */
  tokens: number;
  /**
   * The usage block of the last chunk: `counted` (prompt ≈ characters ÷ 4, completion = tokens
   * sent), a fixed block, or `null` to send none (as many self-hosted servers do).
   */
  usage: 'counted' | { prompt_tokens: number; completion_tokens: number } | null;
}

export const DEFAULT_FAKE_UPSTREAM: FakeUpstreamOptions = {
  ttftMs: 200,
  tokensPerSecond: 50,
  tokens: 100,
  usage: 'counted',
};

export interface FakeUpstreamStats {
  /** Streams answered so far (begun). */
  started: number;
  /** Streams that sent `[DONE]`. */
  completed: number;
  /** Streams whose client (Tessera, or the bench calling directly) hung up before the end. */
  abandoned: number;
  /** Streams open right now. */
  open: number;
  /** The most streams open at once since the start or the last `resetPeak()`. */
  peak: number;
}

export interface FakeUpstream {
  origin: string;
  /** What an OpenAI client's `baseURL` should be. */
  baseURL: string;
  options: FakeUpstreamOptions;
  /** Changes the options for requests that arrive from now on. */
  configure(options: Partial<FakeUpstreamOptions>): void;
  stats(): FakeUpstreamStats;
  resetPeak(): void;
  close(): Promise<void>;
}

/** The upstream's model answers with these words, one per token (each is one GPT token). */
const WORDS = [' the', ' quick', ' brown', ' fox', ' jumps', ' over', ' a', ' lazy', ' dog', '.'];

interface CompletionRequest {
  model?: unknown;
  messages?: Array<{ content?: unknown }>;
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
}

async function readBody(req: IncomingMessage): Promise<CompletionRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as CompletionRequest;
}

function promptCharacters(body: CompletionRequest): number {
  return (body.messages ?? []).reduce(
    (sum, m) => sum + (typeof m.content === 'string' ? m.content.length : 0),
    0,
  );
}

/** Starts the fake upstream on an ephemeral port of 127.0.0.1. */
export async function startFakeUpstream(
  initial: Partial<FakeUpstreamOptions> = {},
): Promise<FakeUpstream> {
  const options: FakeUpstreamOptions = { ...DEFAULT_FAKE_UPSTREAM, ...initial };
  const stats: FakeUpstreamStats = { started: 0, completed: 0, abandoned: 0, open: 0, peak: 0 };
  let sequence = 0;

  async function completions(req: IncomingMessage, res: ServerResponse) {
    const arrived = performance.now();
    const config = { ...options }; // a request keeps the options it arrived under
    const body = await readBody(req);
    const model = typeof body.model === 'string' ? body.model : 'fake-model';
    const cap = [body.max_completion_tokens, body.max_tokens].find(
      (v): v is number => typeof v === 'number' && v > 0,
    );
    const tokens = Math.min(config.tokens, cap ?? Number.POSITIVE_INFINITY);
    const id = `chatcmpl-fake-${++sequence}`;
    const created = Math.floor(Date.now() / 1000);
    const usage =
      config.usage === 'counted'
        ? {
            prompt_tokens: Math.max(1, Math.ceil(promptCharacters(body) / 4)),
            completion_tokens: tokens,
          }
        : config.usage;
    const usageBlock = usage && {
      ...usage,
      total_tokens: usage.prompt_tokens + usage.completion_tokens,
    };

    if (body.stream !== true) {
      const content = Array.from({ length: tokens }, (_, i) => WORDS[i % WORDS.length]).join('');
      const ms = config.ttftMs + (Math.max(0, tokens - 1) * 1000) / config.tokensPerSecond;
      await new Promise((resolve) => setTimeout(resolve, ms));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content, refusal: null },
              logprobs: null,
              finish_reason: 'stop',
            },
          ],
          usage: usageBlock,
        }),
      );
      return;
    }

    const includeUsage = body.stream_options?.include_usage === true;
    // As OpenAI: every chunk carries `usage: null` when the usage chunk was asked for.
    const frame = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        system_fingerprint: 'fp_bench',
        choices,
        ...(includeUsage ? { usage: null } : {}),
        ...extra,
      })}\n\n`;
    const delta = (value: Record<string, unknown>, finish: string | null = null) =>
      frame([{ index: 0, delta: value, logprobs: null, finish_reason: finish }]);

    stats.started++;
    stats.open++;
    stats.peak = Math.max(stats.peak, stats.open);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.flushHeaders();

    let sent = 0;
    let began = false;
    let timer: NodeJS.Timeout | undefined;
    let ended = false;
    const finish = (completed: boolean) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      stats.open--;
      if (completed) stats.completed++;
      else stats.abandoned++;
    };
    res.on('close', () => finish(false));
    const interval = 1000 / config.tokensPerSecond;
    const dueAt = (token: number) => arrived + config.ttftMs + token * interval;

    const tick = () => {
      if (ended) return;
      const now = performance.now();
      let out = began ? '' : delta({ role: 'assistant', content: '', refusal: null });
      began = true;
      while (sent < tokens && dueAt(sent) <= now) {
        out += delta({ content: WORDS[sent % WORDS.length] });
        sent++;
      }
      if (sent < tokens) {
        if (out) res.write(out);
        timer = setTimeout(tick, Math.max(0, dueAt(sent) - performance.now()));
        return;
      }
      out += delta({}, 'stop');
      if (includeUsage) out += frame([], { usage: usageBlock });
      out += 'data: [DONE]\n\n';
      finish(true);
      res.end(out);
    };
    timer = setTimeout(tick, Math.max(0, dueAt(0) - performance.now()));
  }

  const server: BenchServer = await listenLocal((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'POST' && pathname === '/v1/chat/completions') {
      completions(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: String(error), type: 'invalid_request' } }));
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `no route ${pathname}`, type: 'not_found' } }));
  });

  return {
    origin: server.origin,
    baseURL: `${server.origin}/v1`,
    options,
    configure(partial) {
      Object.assign(options, partial);
    },
    stats: () => ({ ...stats }),
    resetPeak() {
      stats.peak = stats.open;
    },
    async close() {
      // Open streams would hold close() open; a benchmark closes its clients first, this is a
      // safety net.
      server.server.closeAllConnections();
      await server.close();
    },
  };
}
