// The fetch our openai SDK clients use (node:http instead of undici): what the SDK relies on from
// a fetch — the request as given, a body read while it streams, aborts that reach the server,
// compressed and bodyless responses, connection errors as rejections — against a real server.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpFetch } from '../src/chat/providers/http-fetch.ts';
import { createOpenAIProvider } from '../src/chat/providers/openai-provider.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function readBody(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('httpFetch', () => {
  it('sends the request as given and hands over the body while it is still streaming', async () => {
    let seen: { method?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    let finish: () => void = () => {};
    const url = await serve(async (req, res) => {
      seen = { method: req.method, headers: req.headers, body: await readBody(req) };
      res.writeHead(201, { 'content-type': 'text/event-stream', 'x-multi': ['a', 'b'] });
      res.write('data: one\n\n');
      finish = () => res.end('data: two\n\n');
    });
    const response = await httpFetch(`${url}/v1/chat/completions?x=1`, {
      method: 'post',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: '{"hello":"wörld"}',
    });
    expect(seen).toMatchObject({
      method: 'POST',
      body: '{"hello":"wörld"}',
      headers: { authorization: 'Bearer k', 'content-length': '18' },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('x-multi')).toBe('a, b');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    // The first event arrives while the server still holds the response open.
    expect(decoder.decode((await reader.read()).value)).toBe('data: one\n\n');
    finish();
    expect(decoder.decode((await reader.read()).value)).toBe('data: two\n\n');
    expect((await reader.read()).done).toBe(true);
  });

  it('sends headers given as a Headers object, the shape the SDK hands over', async () => {
    let seen: IncomingMessage['headers'] = {};
    const url = await serve((req, res) => {
      seen = req.headers;
      res.end();
    });
    const headers = new Headers({ authorization: 'Bearer k' });
    headers.append('x-stainless-retry-count', '0');
    await httpFetch(url, { method: 'POST', headers, body: '{}' });
    expect(seen).toMatchObject({
      authorization: 'Bearer k',
      'x-stainless-retry-count': '0',
      'content-length': '2',
    });
  });

  it('an abort mid-stream closes the connection to the server and fails the read', async () => {
    const closed = new Promise<void>((resolve) => {
      void serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: first\n\n');
        res.on('close', () => resolve());
      }).then((url) => start(url));
    });
    const controller = new AbortController();
    let failure: Promise<unknown> = Promise.resolve(null);
    async function start(url: string) {
      const response = await httpFetch(url, {
        method: 'POST',
        body: '{}',
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      await reader.read();
      controller.abort();
      failure = reader.read().then(
        () => null,
        (error: unknown) => error,
      );
    }
    await closed;
    expect(await failure).toMatchObject({ name: 'AbortError' });
  });

  it('decodes a gzip body, and gives no body where the status has none', async () => {
    const url = await serve((req, res) => {
      if (req.url === '/empty') {
        res.writeHead(204).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ ok: true })));
    });
    expect(await (await httpFetch(`${url}/zipped`)).json()).toEqual({ ok: true });
    const empty = await httpFetch(`${url}/empty`, { method: 'DELETE' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
  });

  it('rejects when nothing listens, so the SDK can retry or report a connection error', async () => {
    const url = await serve((_req, res) => res.end());
    await new Promise((resolve) => server!.close(resolve));
    await expect(httpFetch(url, { method: 'POST', body: '{}' })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});

describe('the openai provider', () => {
  it('streams through httpFetch, never the platform fetch', async () => {
    const platformFetch = vi.spyOn(globalThis, 'fetch');
    try {
      const url = await serve((req, res) => {
        req.resume();
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = (delta: object, usage: object | null = null) =>
          `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: usage ? [] : [{ index: 0, delta, finish_reason: null }], usage })}\n\n`;
        res.end(
          chunk({ content: 'Hel' }) +
            chunk({ content: 'lo' }) +
            chunk({}, { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }) +
            'data: [DONE]\n\n',
        );
      });
      const provider = createOpenAIProvider({ baseURL: `${url}/v1`, apiKey: 'k', maxRetries: 0 });
      const events = [];
      for await (const event of provider.stream({
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
        maxOutputTokens: 10,
        signal: new AbortController().signal,
      }))
        events.push(event);
      expect(events).toEqual([
        { type: 'delta', text: 'Hel' },
        { type: 'delta', text: 'lo' },
        { type: 'usage', inputTokens: 3, outputTokens: 2 },
      ]);
      expect(platformFetch).not.toHaveBeenCalled();
    } finally {
      platformFetch.mockRestore();
    }
  });
});
