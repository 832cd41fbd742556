// A small closed-loop load generator: `concurrency` workers share one keep-alive agent, and each
// sends its next request as soon as the previous response has been read. Every response must be
// a 200, so a broken variant (a 401 is much cheaper than a query) can never look fast.
import { Agent, type OutgoingHttpHeaders, request } from 'node:http';
import type { Variant } from './compare.ts';

const REQUEST_TIMEOUT_MS = 10_000;

export interface LoadTarget {
  /** Where the server listens, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  path: string;
  headers?: OutgoingHttpHeaders;
}

export interface LoadResult {
  requests: number;
  elapsedMs: number;
  perSecond: number;
}

export function keepAliveAgent(concurrency: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
}

/** One GET; resolves with the body once it has been read in full, rejects on anything but 200. */
export function get(agent: Agent, target: LoadTarget): Promise<{ status: number; body: string }> {
  const url = new URL(target.path, target.origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: target.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    // A hung server must fail the run, not stall it.
    req.setTimeout(REQUEST_TIMEOUT_MS, () =>
      req.destroy(new Error(`GET ${target.path} got no response in ${REQUEST_TIMEOUT_MS} ms`)),
    );
    req.end();
  });
}

async function getOk(agent: Agent, target: LoadTarget): Promise<void> {
  const { status, body } = await get(agent, target);
  if (status !== 200)
    throw new Error(`GET ${target.path} answered ${status}: ${body.slice(0, 200)}`);
}

/** Sends exactly `requests` GETs over `concurrency` keep-alive connections; fails on any non-200. */
export async function runLoad(
  agent: Agent,
  target: LoadTarget,
  options: { requests: number; concurrency: number },
): Promise<LoadResult> {
  let issued = 0;
  let failed = false;
  const worker = async () => {
    while (issued < options.requests && !failed) {
      issued++;
      await getOk(agent, target).catch((error: unknown) => {
        failed = true; // the other workers stop instead of loading a broken server
        throw error;
      });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedMs = performance.now() - started;
  return {
    requests: options.requests,
    elapsedMs,
    perSecond: (options.requests * 1000) / elapsedMs,
  };
}

export interface HttpVariant extends Variant {
  /** The server's CPU time per request in each round, when `serverCpuMicros` was given. */
  cpuMicrosPerRequest: number[];
}

/**
 * A variant whose round is `requests` GETs of `target`; it measures req/s. With
 * `serverCpuMicros` (see `ServerProcess.cpuMicros`) it also records the server's CPU time per
 * request, which other processes on the machine disturb far less than wall-clock throughput.
 */
export function httpVariant(
  label: string,
  options: {
    agent: Agent;
    target: LoadTarget;
    requests: number;
    concurrency: number;
    serverCpuMicros?: () => Promise<number>;
  },
): HttpVariant {
  const cpuMicrosPerRequest: number[] = [];
  return {
    label,
    cpuMicrosPerRequest,
    async measure() {
      const cpuBefore = await options.serverCpuMicros?.();
      const result = await runLoad(options.agent, options.target, options);
      const cpuAfter = await options.serverCpuMicros?.();
      if (cpuBefore !== undefined && cpuAfter !== undefined)
        cpuMicrosPerRequest.push((cpuAfter - cpuBefore) / result.requests);
      return result.perSecond;
    },
  };
}
