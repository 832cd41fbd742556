// A separate process redeeming one code for many users, racing the other workers on one SQLite
// file. Reads a JSON job from argv, waits for the shared start instant, prints a JSON result line.
import { isDomainError, redeemCode } from '@tessera/api';
import { createDb } from '@tessera/db';

const job = JSON.parse(process.argv[2]!) as {
  databasePath: string;
  startAt: number;
  now: number;
  code: string;
  userIds: string[];
};
const { db, close } = createDb(job.databasePath, { busyTimeoutMs: 30_000 });
const now = new Date(job.now);

while (Date.now() < job.startAt) {
  // spin until the shared start instant, so the processes really overlap
}

const outcomes: Record<string, number> = {};
for (const userId of job.userIds) {
  let outcome: string;
  try {
    const result = redeemCode(db, {
      userId,
      code: job.code,
      ip: null,
      throttle: false,
      requireVerifiedEmail: false,
      actorUserId: userId,
      now,
    });
    outcome = result.alreadyRedeemed ? 'again' : 'granted';
  } catch (error) {
    if (!isDomainError(error)) throw error;
    outcome = error.code;
  }
  outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
}
close();
console.log(JSON.stringify(outcomes));
