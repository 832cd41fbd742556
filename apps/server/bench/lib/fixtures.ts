// Throwaway resources for a benchmark: a migrated SQLite copy and a server on 127.0.0.1, each
// with a cleanup that the benchmark runs in `finally` so the process can exit on its own.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDb, type DbHandle } from '@tessera/db';
import { copyTestDatabase, removeDatabaseFiles } from '@tessera/db/testing';

export interface BenchDatabase extends DbHandle {
  path: string;
  /** Closes the connection and deletes the file with its WAL side files. */
  destroy(): void;
}

/** A fresh, migrated database file (a copy of the test template). */
export function benchDatabase(): BenchDatabase {
  const path = copyTestDatabase();
  const handle = createDb(path);
  return {
    ...handle,
    path,
    destroy() {
      handle.close();
      removeDatabaseFiles(path);
    },
  };
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
