// The live heap an open SPA chat stream costs the server, measured apart from load: a forked
// Tessera (as `streams-5000` starts it) holds A streams, then B; the heap after a full GC at each,
// differenced and divided by B − A. With `--snapshot` it also writes a heap snapshot at each and
// prints, per stream, the self size and count of the node kinds that grew most (by constructor).
// Not a registered benchmark: a probe for docs/decisions/036.
//   node --import tsx apps/server/bench/heap-per-stream.ts [A=200] [B=800] [--snapshot | --keep]
// (`--keep` leaves the two snapshots in the temp directory and prints their paths.)
import { readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeUpstreamProcessInfo, FakeUpstreamStats } from './lib/fake-upstream.server.ts';
import { startServerProcess } from './lib/server-process.ts';
import { openSpaStream, type SpaStream } from './lib/spa-stream-client.ts';
import type { HeapSample } from './streaming.server.ts';
import { BENCH_MODEL, startTessera, streamingDatabase } from './streaming-fixtures.ts';
import { signIn } from './streams-5000.ts';

const numbers = process.argv
  .slice(2)
  .filter((a) => /^\d+$/.test(a))
  .map(Number);
const [FEW = 200, MANY = 800] = numbers;
const KEEP = process.argv.includes('--keep');
const SNAPSHOT = KEEP || process.argv.includes('--snapshot');
const UPSTREAM = { ttftMs: 200, tokensPerSecond: 0.2, tokens: 1000, usage: 'counted' as const };

/** Self size and count per node name (constructor for objects, kind for the rest). */
function census(path: string): Map<string, { size: number; count: number }> {
  const snapshot = JSON.parse(readFileSync(path, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const byName = new Map<string, { size: number; count: number }>();
  const { nodes, strings } = snapshot;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt!]!]!;
    const key =
      type === 'object' || type === 'closure'
        ? `${type}:${strings[nodes[i + nameAt!]!]}`
        : type === 'string' || type === 'concatenated string' || type === 'sliced string'
          ? 'string'
          : type;
    const entry = byName.get(key) ?? { size: 0, count: 0 };
    entry.size += nodes[i + sizeAt!]!;
    entry.count++;
    byName.set(key, entry);
  }
  return byName;
}

const upstream = await startServerProcess<FakeUpstreamProcessInfo>(
  new URL('./lib/fake-upstream.server.ts', import.meta.url),
  { args: [JSON.stringify(UPSTREAM)] },
);
const fixture = streamingDatabase(upstream.info.baseURL, MANY);
const cookies = signIn(fixture);
const server = await startTessera(fixture.database.path, { execArgv: ['--expose-gc'] });
const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
const streams: SpaStream[] = [];
async function openUpTo(count: number) {
  let next = streams.length;
  const opener = async () => {
    while (next < count) {
      const k = next++;
      const stream = openSpaStream(agent, server.info.origin, cookies[k]!, {
        requestId: `heap-probe-${String(k).padStart(6, '0')}`,
        model: BENCH_MODEL,
        content: 'Tell me about the quick brown fox.',
      });
      streams[k] = stream;
      await stream.admitted;
    }
  };
  await Promise.all(Array.from({ length: 16 }, opener));
  while ((await upstream.call<FakeUpstreamStats>('stats')).open < count) await sleep(100);
  await sleep(1500); // the first token (200 ms) reached every stream
}
try {
  const samples: { heap: HeapSample; snapshot?: string }[] = [];
  for (const count of [FEW, MANY]) {
    await openUpTo(count);
    const heap = await server.call<HeapSample>('heap');
    const snapshot = SNAPSHOT ? await server.call<string>('heapSnapshot') : undefined;
    samples.push({ heap, snapshot });
    console.log(
      `${count} streams: heap ${(heap.heapUsed / 2 ** 20).toFixed(1)} MiB, external ${(heap.external / 2 ** 20).toFixed(1)} MiB, rss ${(heap.rss / 2 ** 20).toFixed(0)} MiB`,
    );
  }
  const per = (a: number, b: number) => (b - a) / (MANY - FEW);
  const [few, many] = samples as [(typeof samples)[0], (typeof samples)[0]];
  console.log(
    `per stream: heap ${(per(few.heap.heapUsed, many.heap.heapUsed) / 1024).toFixed(1)} KB,` +
      ` external ${(per(few.heap.external, many.heap.external) / 1024).toFixed(1)} KB,` +
      ` rss ${(per(few.heap.rss, many.heap.rss) / 1024).toFixed(1)} KB`,
  );
  if (few.snapshot && many.snapshot) {
    const before = census(few.snapshot);
    const after = census(many.snapshot);
    const rows = [...after].map(([name, a]) => {
      const b = before.get(name) ?? { size: 0, count: 0 };
      return { name, size: per(b.size, a.size), count: per(b.count, a.count) };
    });
    rows.sort((x, y) => y.size - x.size);
    for (const row of rows.slice(0, 45))
      console.log(
        `  ${(row.size / 1024).toFixed(2).padStart(7)} KB  ${row.count.toFixed(1).padStart(6)}×  ${row.name}`,
      );
    for (const s of samples) if (s.snapshot && !KEEP) rmSync(s.snapshot);
    if (KEEP) console.log(`snapshots kept: ${samples.map((s) => s.snapshot).join(' ')}`);
  }
} finally {
  for (const stream of streams) stream?.leave();
  agent.destroy();
  await server.close();
  await upstream.close();
  fixture.database.destroy();
}
