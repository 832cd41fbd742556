// The lean SSE writer (src/http/sse-subscription.ts) against tRPC's own node adapter: the same
// router served by both over real HTTP, the same requests, and the same status, headers and body
// bytes — connected with the client options, tracked ids, untracked data, ping after a quiet
// interval, return at the end, serialized-error from a middleware, from input validation and from
// mid-stream, lastEventId merged into the input from the header and from the query, and the
// procedure's signal aborted when the client leaves.
import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initTRPC, TRPCError, tracked } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serveSseSubscription } from '../src/http/sse-subscription.ts';

const PING_MS = 300;
const t = initTRPC.context<{ user: string | null }>().create({
  isDev: false,
  sse: {
    ping: { enabled: true, intervalMs: PING_MS },
    client: { reconnectAfterInactivityMs: 900 },
  },
  errorFormatter: ({ shape }) => ({ ...shape, data: { ...shape.data, extra: 'formatted' } }),
});
const signedIn = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  return next({ ctx: { user: ctx.user } });
});

/** Resolves the `slow` subscription's wait; set by the test once it has seen a ping. */
let release: () => void = () => {};
/** Whether a `forever` subscription saw its signal abort, per server. */
const abortedSignals: string[] = [];

const router = t.router({
  count: signedIn
    .input(z.object({ to: z.number().int().max(10), lastEventId: z.string().nullish() }))
    .subscription(async function* ({ ctx, input }) {
      const from = input.lastEventId ? Number(input.lastEventId.split(':')[1]) + 1 : 0;
      for (let n = from; n < input.to; n++)
        yield tracked(`${ctx.user}:${n}`, { n, text: `«${n}» "quoted"\nline` });
      yield { untracked: true };
    }),
  bare: t.procedure.subscription(async function* ({ input }) {
    yield { input: input ?? null };
  }),
  failing: signedIn.subscription(async function* () {
    yield tracked('a', 1);
    throw new TRPCError({ code: 'CONFLICT', message: 'Gone elsewhere.' });
  }),
  crashing: signedIn.subscription(async function* () {
    yield 1;
    throw new Error('a secret internal detail');
  }),
  slow: signedIn.subscription(async function* () {
    yield tracked('1', 'first');
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    yield tracked('2', 'second');
  }),
  forever: signedIn.input(z.object({ server: z.string() })).subscription(async function* ({
    input,
    signal,
  }) {
    yield tracked('1', 'open');
    await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve()));
    abortedSignals.push(input.server);
  }),
});

function contextOf(req: IncomingMessage) {
  if (req.headers['x-context-fails']) throw new Error('no context today');
  return { user: req.headers.authorization ?? null };
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const viaTrpc = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  void nodeHTTPRequestHandler({
    router,
    req,
    res,
    path: url.pathname.slice(1),
    createContext: () => contextOf(req),
  });
});
const viaLean = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.slice(1);
  void (async () => {
    const served = await serveSseSubscription(req, res, path, url.searchParams, {
      router,
      createContext: () => contextOf(req),
    });
    if (!served)
      await nodeHTTPRequestHandler({ router, req, res, path, createContext: () => contextOf(req) });
    else leanServed.push(path);
  })();
});
const leanServed: string[] = [];

interface Capture {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** GETs `path`; `onText` sees the body so far and may return 'leave' to destroy the socket. */
function capture(
  origin: string,
  path: string,
  headers: Record<string, string> = {},
  onText: (body: string) => 'leave' | undefined = () => undefined,
): Promise<Capture> {
  return new Promise((resolve, reject) => {
    const req = get(`${origin}${path}`, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      const { date: _date, ...rest } = res.headers;
      const done = () => resolve({ status: res.statusCode ?? 0, headers: rest, body });
      res.on('data', (chunk: string) => {
        body += chunk;
        if (onText(body) === 'leave') {
          req.destroy();
          done();
        }
      });
      res.on('end', done);
    });
    req.on('error', reject);
  });
}

const input = (value: unknown) => `input=${encodeURIComponent(JSON.stringify(value))}`;
const user = { authorization: 'ada' };

let trpcOrigin = '';
let leanOrigin = '';
beforeAll(async () => {
  trpcOrigin = await listen(viaTrpc);
  leanOrigin = await listen(viaLean);
});
afterAll(() => {
  viaTrpc.close();
  viaLean.close();
});

async function both(path: string, headers: Record<string, string> = {}) {
  const [a, b] = await Promise.all([
    capture(trpcOrigin, path, headers),
    capture(leanOrigin, path, headers),
  ]);
  return { trpc: a, lean: b };
}

describe('the lean SSE writer writes what tRPC writes', () => {
  const cases: [string, string, Record<string, string>][] = [
    ['tracked and untracked events, then return', `/count?${input({ to: 3 })}`, user],
    [
      'resume from lastEventId in the input',
      `/count?${input({ to: 5, lastEventId: 'ada:2' })}`,
      user,
    ],
    [
      'resume from the Last-Event-Id header',
      `/count?${input({ to: 5 })}`,
      { ...user, 'last-event-id': 'ada:1' },
    ],
    [
      'resume from the lastEventId query parameter',
      `/count?${input({ to: 4 })}&lastEventId=ada:0`,
      user,
    ],
    ['no input, a lastEventId alone', '/bare?lastEventId=x:7', {}],
    ['no input at all', '/bare', {}],
    ['a middleware refuses', `/count?${input({ to: 3 })}`, {}],
    ['the context cannot be made', `/count?${input({ to: 3 })}`, { 'x-context-fails': '1' }],
    ['input validation fails', `/count?${input({ to: 99 })}`, user],
    ['a domain error mid-stream', '/failing', user],
    ['an internal error mid-stream (message as the formatter leaves it)', '/crashing', user],
  ];
  for (const [name, path, headers] of cases) {
    it(name, async () => {
      const { trpc, lean } = await both(path, headers);
      expect(lean).toEqual(trpc);
      expect(trpc.status).toBe(200);
      expect(
        trpc.body.startsWith('event: connected\ndata: {"reconnectAfterInactivityMs":900}\n\n\n'),
      ).toBe(true);
    });
  }

  it('served those through the lean writer, and leaves what it does not serve to tRPC', async () => {
    leanServed.length = 0;
    await both(`/count?${input({ to: 1 })}`, user);
    expect(leanServed).toEqual(['count']);
    // Not JSON, and a batch: tRPC's adapter answers both, identically.
    for (const path of ['/count?input=%7Bnot-json', `/count?batch=1&${input({ 0: { to: 1 } })}`]) {
      const { trpc, lean } = await both(path, user);
      expect(lean).toEqual(trpc);
    }
    expect(leanServed).toEqual(['count']);
  });

  it('the body is exactly the framing tRPC 11 uses', async () => {
    const { lean } = await both(`/count?${input({ to: 2 })}`, user);
    expect(lean.headers).toMatchObject({
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    expect(lean.body).toBe(
      'event: connected\ndata: {"reconnectAfterInactivityMs":900}\n\n\n' +
        'data: {"n":0,"text":"«0» \\"quoted\\"\\nline"}\nid: ada:0\n\n\n' +
        'data: {"n":1,"text":"«1» \\"quoted\\"\\nline"}\nid: ada:1\n\n\n' +
        'data: {"untracked":true}\n\n\n' +
        'event: return\ndata: \n\n\n',
    );
  });

  it('pings after a quiet interval, as tRPC does', async () => {
    const run = async (origin: string) => {
      let released = false;
      const result = await capture(origin, '/slow', user, (body) => {
        if (!released && body.includes('event: ping')) {
          released = true;
          release();
        }
        return undefined;
      });
      return result;
    };
    const trpc = await run(trpcOrigin);
    const lean = await run(leanOrigin);
    expect(lean).toEqual(trpc);
    expect(lean.body).toBe(
      'event: connected\ndata: {"reconnectAfterInactivityMs":900}\n\n\n' +
        'data: "first"\nid: 1\n\n\n' +
        'event: ping\ndata: \n\n\n' +
        'data: "second"\nid: 2\n\n\n' +
        'event: return\ndata: \n\n\n',
    );
  });

  it("aborts the procedure's signal when the client leaves", async () => {
    abortedSignals.length = 0;
    for (const [name, origin] of [
      ['trpc', trpcOrigin],
      ['lean', leanOrigin],
    ] as const)
      await capture(origin, `/forever?${input({ server: name })}`, user, (body) =>
        body.includes('"open"') ? 'leave' : undefined,
      );
    const deadline = Date.now() + 5000;
    while (abortedSignals.length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(abortedSignals.sort()).toEqual(['lean', 'trpc']);
  });
});
