// The fake upstream (fake-upstream.ts) in a process of its own, for benchmarks where its timers
// and sockets would otherwise share an event loop with the load generator. Its options come as
// JSON in the first argument: `startServerProcess(url, { args: [JSON.stringify(options)] })`.
import {
  type FakeUpstreamOptions,
  type FakeUpstreamStats,
  startFakeUpstream,
} from './fake-upstream.ts';
import { serveBenchProcess } from './server-process.ts';

export interface FakeUpstreamProcessInfo {
  origin: string;
  baseURL: string;
}

export type { FakeUpstreamStats };

await serveBenchProcess<FakeUpstreamProcessInfo>(async () => {
  const options = JSON.parse(process.argv[2] ?? '{}') as Partial<FakeUpstreamOptions>;
  const upstream = await startFakeUpstream(options);
  return {
    info: { origin: upstream.origin, baseURL: upstream.baseURL },
    commands: { stats: () => upstream.stats(), resetPeak: () => upstream.resetPeak() },
    close: () => upstream.close(),
  };
});
