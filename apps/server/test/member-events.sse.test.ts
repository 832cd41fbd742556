// A membership change made by `pnpm tessera` in another process reaches a browser's live SSE
// subscription served by this process — the outbox is tailed across processes.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { AppRouter } from '@tessera/api';
import { createTRPCClient, httpSubscriptionLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CookieFetch,
  STRONG_PASSWORD,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';

const run = promisify(execFile);
const serverDir = fileURLToPath(new URL('..', import.meta.url));

describe('live member events over SSE', () => {
  let server: TestServer;
  afterEach(() => server.stop());

  it('deliver a grant and a revoke made by the CLI in another process', async () => {
    server = await startTestServer({ seedDemo: true });
    const browser = new CookieFetch(server.url);
    await trpcClient(server.url, browser).auth.signUp.mutate({
      email: 'live@example.com',
      password: STRONG_PASSWORD,
    });
    const cookie = [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ');

    const client = createTRPCClient<AppRouter>({
      links: [
        httpSubscriptionLink({
          url: `${server.url}/trpc`,
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) =>
              fetch(input, { ...init, headers: { ...init?.headers, cookie } }),
          },
        }),
      ],
    });
    const received: { kind: string; markKey: string | null; at: number }[] = [];
    let onEvent: () => void = () => {};
    const subscription = client.membership.events.subscribe(undefined, {
      onData: (event) => {
        const data = 'data' in event ? event.data : event;
        received.push({ ...(data as { kind: string; markKey: string | null }), at: Date.now() });
        onEvent();
      },
    });
    // The CLI's events, after `connected`. On PostgreSQL the bus may also hand the first subscriber
    // what was committed since the server started (the sign-up's Free grant; decision 035): only
    // the CLI's events are counted.
    const ofTheCli = () => received.filter((e) => e.kind === 'connected' || e.markKey === 'pro');
    const waitFor = (count: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${received.length} events`)), 10_000);
        onEvent = () => {
          if (ofTheCli().length >= count) {
            clearTimeout(timer);
            resolve();
          }
        };
        onEvent();
      });
    try {
      await waitFor(1);
      expect(received[0]?.kind).toBe('connected');

      const cli = (...args: string[]) =>
        run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
          cwd: serverDir,
          env: { ...process.env, ...server.storage.env },
        });
      const granted = await cli('mark:grant', 'live@example.com', 'pro', '--days', '1', '--json');
      const grantDone = Date.now();
      expect(JSON.parse(granted.stdout)).toMatchObject({
        markKey: 'pro',
        event: 'membership.granted',
      });
      await waitFor(2);
      await cli('mark:revoke', 'live@example.com', 'pro', '--reason', 'test');
      const revokeDone = Date.now();
      await waitFor(3);

      expect(
        ofTheCli()
          .slice(1)
          .map((e) => [e.kind, e.markKey]),
      ).toEqual([
        ['membership.granted', 'pro'],
        ['membership.revoked', 'pro'],
      ]);
      // Informational (not a timed assertion): how long after the CLI exited the event arrived.
      console.info(
        `delivery after CLI exit: ${ofTheCli()[1]!.at - grantDone} ms, ${ofTheCli()[2]!.at - revokeDone} ms`,
      );
    } finally {
      subscription.unsubscribe();
    }
  }, 60_000);
});
