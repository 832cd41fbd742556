// Real HTTP on a random port against a real SQLite file copied from the migrated template.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppRouter } from '@tessera/api';
import { copyTestDatabase, removeDatabaseFiles } from '@tessera/db/testing';
import { createTRPCClient, httpLink } from '@trpc/client';
import { expect } from 'vitest';
import { type RunningApp, startApp } from '../src/app.ts';
import type { AppConfig } from '../src/config.ts';

/** A throwaway "built SPA" so static serving can be tested without running Vite. */
export function fakeWebDist(): string {
  const parent = mkdtempSync(join(tmpdir(), 'tessera-web-'));
  // A file beside the web root that path traversal must never reach.
  writeFileSync(join(parent, 'secret.txt'), 'TOP-SECRET');
  const dir = join(parent, 'dist');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>Tessera</title><div id="root"></div>',
  );
  writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log("tessera")');
  return dir;
}

export interface TestServer extends RunningApp {
  databasePath: string;
  stop(): Promise<void>;
}

export async function startTestServer(config: Partial<AppConfig> = {}): Promise<TestServer> {
  const databasePath = copyTestDatabase();
  const app = await startApp({
    host: '127.0.0.1',
    webDistDir: fakeWebDist(),
    ...config,
    databasePath,
  });
  return {
    ...app,
    databasePath,
    async stop() {
      await app.close();
      removeDatabaseFiles(databasePath);
    },
  };
}

/** A fetch that keeps cookies like a browser tab on `origin` would (one jar per instance). */
export class CookieFetch {
  readonly jar = new Map<string, string>();
  readonly setCookieHeaders: string[] = [];
  constructor(readonly origin: string | null) {}

  fetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (this.origin && (init.method ?? 'GET') !== 'GET') headers.set('origin', this.origin);
    if (this.jar.size > 0)
      headers.set('cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      this.setCookieHeaders.push(line);
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/max-age=0/i.test(line) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return response;
  };
}

export function trpcClient(url: string, browser: CookieFetch) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${url}/trpc`, fetch: browser.fetch })],
  });
}

export const STRONG_PASSWORD = 'tessellated-mosaic-42';

export interface SseEvent {
  id: string;
  data: {
    type: string;
    text?: string;
    status?: string;
    charged?: number;
    reason?: { code: string; message: string };
  };
}

/** Opens `chat.stream` as a browser's EventSource would, yielding the numbered events. */
export async function* chatStream(
  server: TestServer,
  cookie: string,
  input: Record<string, unknown>,
  signal: AbortSignal,
): AsyncGenerator<SseEvent> {
  const url = `${server.url}/trpc/chat.stream?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal });
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        const field = (name: string) =>
          block
            .split('\n')
            .find((line) => line.startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim();
        const id = field('id');
        const data = field('data');
        if (id && data) yield { id, data: JSON.parse(data) as SseEvent['data'] };
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
