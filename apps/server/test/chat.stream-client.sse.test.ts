// The SPA's own transport against a real server: tRPC's httpSubscriptionLink over an EventSource
// reads `chat.stream` as the chat page does, the network drops mid-answer, and the EventSource's
// reconnect resumes it by the last event id — every event once, in order, one admission, the
// answer as stored. The bytes on the wire are checked against tRPC 11's SSE framing, which the
// server writes itself (src/http/sse-subscription.ts, docs/decisions/036).
import { type AppRouter, requestKey } from '@tessera/api';
import { createTRPCClient, httpSubscriptionLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CookieFetch,
  STRONG_PASSWORD,
  setCreditsInDb,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';

interface ChatEventData {
  type: string;
  text?: string;
}

describe('chat.stream through the SPA client', () => {
  let server: TestServer;
  afterEach(() => server.stop());

  it('resumes by lastEventId after a dropped connection; the wire is tRPC 11 SSE', async () => {
    server = await startTestServer({
      seedDemo: true,
      demoTokensPerSecond: 40,
      chatResumeGraceMs: 10_000,
    });
    const browser = new CookieFetch(server.url);
    await trpcClient(server.url, browser).auth.signUp.mutate({
      email: 'wire@example.com',
      password: STRONG_PASSWORD,
    });
    const { id: userId } = (await server.storage.stores.auth.userByEmail('wire@example.com'))!;
    await setCreditsInDb(server, userId, 10_000_000);
    const cookie = [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ');

    // Every connection the EventSource opens: its URL, its Last-Event-ID and the text it read.
    const connections: { url: string; lastEventId: string | null; text: string }[] = [];
    const DROP_AFTER_DELTAS = 3;
    const wiredFetch = async (input: string | URL | Request, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      headers.set('cookie', cookie);
      const response = await fetch(input, { ...init, headers });
      const connection = {
        url: String(input),
        lastEventId: headers.get('last-event-id'),
        text: '',
      };
      connections.push(connection);
      const first = connections.length === 1;
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      // The first connection drops (a network error) once it has carried a few deltas.
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const chunk = await reader.read();
          if (chunk.done) return controller.close();
          connection.text += decoder.decode(chunk.value, { stream: true });
          controller.enqueue(chunk.value);
          const deltas = connection.text.split('"type":"delta"').length - 1;
          if (first && deltas >= DROP_AFTER_DELTAS) {
            await reader.cancel();
            controller.error(new TypeError('network error'));
          }
        },
        cancel: () => reader.cancel(),
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };

    const client = createTRPCClient<AppRouter>({
      links: [
        httpSubscriptionLink({
          url: `${server.url}/trpc`,
          EventSource,
          eventSourceOptions: { fetch: wiredFetch },
        }),
      ],
    });
    const requestId = 'wire-request-0001';
    const events: { id: string; data: ChatEventData }[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${events.length} events`)), 30_000);
      const subscription = client.chat.stream.subscribe(
        { requestId, model: 'tessera-mini', content: 'Tell me about mosaics.' },
        {
          onData: (event) => {
            const tracked = event as unknown as { id: string; data: ChatEventData };
            events.push(tracked);
            if (tracked.data.type === 'done') {
              clearTimeout(timer);
              subscription.unsubscribe();
              resolve();
            }
          },
          onError: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        },
      );
    });

    // Resumed: a second connection named the last event the first one delivered.
    expect(connections.length).toBeGreaterThanOrEqual(2);
    const [dropped, resumed] = connections as [(typeof connections)[0], (typeof connections)[0]];
    const lastBeforeDrop = [...dropped.text.matchAll(/\nid: (\S+)\n/g)].at(-1)?.[1];
    expect(lastBeforeDrop).toBeDefined();
    const resumedFrom =
      resumed.lastEventId ??
      (
        JSON.parse(new URL(resumed.url).searchParams.get('input') ?? '{}') as {
          lastEventId?: string;
        }
      ).lastEventId;
    expect(resumedFrom).toBe(lastBeforeDrop);

    // Every event once, in order; one admission; the text is the stored answer.
    const numbers = events.map((e) => Number(e.id.split(':').at(-1)));
    expect(numbers).toEqual(numbers.map((_, i) => i));
    expect(events.every((e) => e.id.startsWith(`${requestId}:`))).toBe(true);
    expect(events.filter((e) => e.data.type === 'admitted')).toHaveLength(1);
    const [stored] = await server.storage.sql<{ content: string }>(
      "select content from messages where request_id = $1 and role = 'assistant'",
      [requestKey(userId, requestId)],
    );
    expect(events.map((e) => e.data.text ?? '').join('')).toBe(stored?.content);

    // tRPC 11's framing, byte for byte: `connected` with the client options, then one
    // `data:` + `id:` per event, each closed by an empty line and one more newline.
    for (const connection of connections) {
      expect(
        connection.text.startsWith(
          'event: connected\ndata: {"reconnectAfterInactivityMs":20000}\n\n\n',
        ),
      ).toBe(true);
      const rest = connection.text.slice(connection.text.indexOf('\n\n\n') + 3);
      const frames = rest.split('\n\n\n').filter((frame) => frame !== '');
      for (const frame of frames)
        expect(frame).toMatch(/^(data: \{.*\}\nid: wire-request-0001:\d+|event: return\ndata: )$/);
    }
    expect(connections.at(-1)?.text.endsWith('event: return\ndata: \n\n\n')).toBe(true);
  }, 60_000);
});
