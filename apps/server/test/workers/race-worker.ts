// A separate process that races the others on one SQLite file. Reads a JSON job from argv, waits
// for the shared start instant, runs it, prints a JSON result line.
import { admitRequest, refillUserOnDemand, runScheduledRefills } from '@tessera/api';
import { createDb } from '@tessera/db';

interface Job {
  kind: 'admit' | 'refill-scheduled' | 'refill-on-demand';
  databasePath: string;
  startAt: number;
  now: number;
  userIds: string[];
  attempts?: number;
  prefix?: string;
  entitlements?: Parameters<typeof admitRequest>[1]['entitlements'];
  refill?: Parameters<typeof admitRequest>[1]['refills'][number];
}

const job = JSON.parse(process.argv[2]!) as Job;
const { db, close } = createDb(job.databasePath);
const now = new Date(job.now);

while (Date.now() < job.startAt) {
  // spin until the shared start instant, so the processes really overlap
}

const result: Record<string, number> = {};
if (job.kind === 'admit') {
  let admitted = 0;
  for (let i = 0; i < job.attempts!; i++) {
    const outcome = admitRequest(db, {
      userId: job.userIds[0]!,
      requestId: `${job.prefix}-${i}`,
      modelId: 'tessera-mini',
      entitlements: job.entitlements!,
      refills: [],
      inputTokens: 1000,
      requestedOutputTokens: 1000,
      now,
      timeZone: 'UTC',
    });
    if (outcome.ok) admitted++;
  }
  result.admitted = admitted;
} else if (job.kind === 'refill-scheduled') {
  result.granted = runScheduledRefills(db, {
    trigger: 'scheduled',
    now,
    timeZone: 'UTC',
    batchSize: 50,
  }).usersRefilled;
} else {
  let granted = 0;
  for (const userId of job.userIds) {
    granted +=
      refillUserOnDemand(db, { userId, refills: [job.refill!], now, timeZone: 'UTC' }) > 0 ? 1 : 0;
  }
  result.granted = granted;
}
close();
console.log(JSON.stringify(result));
