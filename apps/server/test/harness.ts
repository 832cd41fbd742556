// Real HTTP on a random port against a real SQLite file copied from the migrated template.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppRouter } from '@tessera/api';
import { copyTestDatabase, removeDatabaseFiles } from '@tessera/db/testing';
import { createTRPCClient, httpLink } from '@trpc/client';
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
