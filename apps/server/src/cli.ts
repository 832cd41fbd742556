// `pnpm tessera <command>`: the admin CLI entry point.
import { runCli } from './cli/run-cli.ts';
import { EnvError, readEnv } from './env.ts';
import { announceOnce } from './events/redis-transport.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

try {
  const env = readEnv();
  process.exitCode = await runCli(process.argv.slice(2), {
    databasePath: env.DATABASE_PATH,
    databaseUrl: env.DATABASE_URL,
    timeZone: env.PLATFORM_TIME_ZONE,
    publicUrl: env.PUBLIC_URL,
    smtpConfigured: env.SMTP_URL !== undefined,
    // Running instances hear of the change now rather than at their next safety poll.
    announce: env.REDIS_URL
      ? async (notice) => {
          const url = env.REDIS_URL!;
          if (!(await announceOnce({ url, prefix: env.REDIS_KEY_PREFIX, notice })))
            console.error(
              'warning: REDIS_URL did not answer; running servers see this change at their next outbox poll',
            );
        }
      : undefined,
    io: { out: (line) => console.log(line), err: (line) => console.error(line), readStdin },
  });
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exitCode = 1;
}
