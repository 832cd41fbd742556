// Throwaway resources for a benchmark: a migrated SQLite copy and a server on 127.0.0.1, each
// with a cleanup that the benchmark runs in `finally` so the process can exit on its own.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDb, type TestDb } from '@tessera/db/testing';

export type BenchDatabase = TestDb;

/** A fresh, migrated database file (a copy of the test template); `destroy()` deletes it. */
export function benchDatabase(): BenchDatabase {
  return createTestDb();
}

export interface BenchServer {
  server: Server;
  origin: string;
  close(): Promise<void>;
}

/** Listens on an ephemeral port of 127.0.0.1 (never a public interface). */
export async function listenLocal(handler: RequestListener): Promise<BenchServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets sitting idle would hold close() open.
        server.closeIdleConnections();
      }),
  };
}
