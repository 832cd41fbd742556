// temporary: load one variant only, to profile the server process

import type { ApiQueryServerInfo } from './api-query.server.ts';
import { keepAliveAgent, runLoad } from './lib/http-load.ts';
import { startServerProcess } from './lib/server-process.ts';

const which = process.argv[2]!;
const n = Number(process.argv[3] ?? 20000);
const server = await startServerProcess<ApiQueryServerInfo>(
  new URL('./api-query.server.ts', import.meta.url),
);
const agent = keepAliveAgent(32);
const headers = { cookie: `tessera_session=${server.info.sessionToken}` };
const target = { origin: server.info.origin, path: `/trpc/${which}`, headers };
const before = await server.cpuMicros();
const r = await runLoad(agent, target, { requests: n, concurrency: 32 });
const after = await server.cpuMicros();
console.log(
  which,
  r.perSecond.toFixed(0),
  'req/s',
  ((after - before) / n).toFixed(0),
  'µs CPU/req',
);
agent.destroy();
await server.close();
