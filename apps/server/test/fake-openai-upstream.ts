// A fake OpenAI-compatible upstream on loopback: records every chat completion request it gets
// (after checking it is one: the bearer key, `stream: true` with usage, a model and messages) and
// streams back what a test's `reply` says, in OpenAI's chunk format. Tests point a model at it
// (config.openai + `models.provider_id = 'openai'`) and assert on what arrived.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UpstreamRequest {
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown> & { messages: Record<string, unknown>[] };
}

/** What the fake streams for one request: text pieces, tool-call pieces, the finish, usage. */
export interface UpstreamReply {
  text?: string[];
  toolCalls?: { id: string; name: string; arguments: string[] }[];
  finish: 'stop' | 'tool_calls' | 'length';
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
}

export interface FakeUpstream {
  url: string;
  apiKey: string;
  requests: UpstreamRequest[];
  /** The reply to a request (set by each test). */
  reply: (request: UpstreamRequest) => UpstreamReply;
  /** Every chunk the fake sent, per request, in order. */
  sent: Record<string, unknown>[][];
  close(): Promise<void>;
}

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const apiKey = 'sk-fake-upstream';
  const fake: FakeUpstream = {
    url: '',
    apiKey,
    requests: [],
    sent: [],
    reply: () => ({ text: ['ok'], finish: 'stop' }),
    close: async () => {},
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const fail = (status: number, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', code: null } }));
    };
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions')
      return fail(404, `unexpected ${req.method} ${req.url}`);
    if (req.headers.authorization !== `Bearer ${apiKey}`) return fail(401, 'bad key');
    let body: UpstreamRequest['body'];
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return fail(400, 'not JSON');
    }
    // What every request from Tessera's provider must be: streamed, with usage asked for.
    if (
      typeof body.model !== 'string' ||
      !Array.isArray(body.messages) ||
      body.stream !== true ||
      (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage !== true
    )
      return fail(400, 'not a streamed chat completion with usage');
    const request = { headers: req.headers, body };
    fake.requests.push(request);
    const reply = fake.reply(request);
    const sent: Record<string, unknown>[] = [];
    fake.sent.push(sent);
    const base = {
      id: 'chatcmpl-up',
      object: 'chat.completion.chunk',
      created: 1,
      model: body.model,
    };
    const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
      ...base,
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    const frames = [chunk({ role: 'assistant', content: '' }, null)];
    for (const text of reply.text ?? []) frames.push(chunk({ content: text }, null));
    for (const [index, call] of (reply.toolCalls ?? []).entries()) {
      frames.push(
        chunk(
          {
            tool_calls: [
              {
                index,
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: '' },
              },
            ],
          },
          null,
        ),
      );
      for (const piece of call.arguments)
        frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null));
    }
    frames.push(chunk({}, reply.finish));
    if (reply.usage !== null) {
      const usage = reply.usage ?? { prompt_tokens: 11, completion_tokens: 7 };
      frames.push({
        ...base,
        choices: [],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      } as never);
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const frame of frames) {
      sent.push(frame);
      res.write(`data: ${JSON.stringify(frame)}\n\n`);
    }
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return fake;
}
