// Entry point: read the environment, start, and stop cleanly on SIGTERM/SIGINT.
import { startApp } from './app.ts';
import { configFromEnv } from './config.ts';
import { EnvError, readEnv } from './env.ts';

async function main() {
  let env: ReturnType<typeof readEnv>;
  try {
    env = readEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await startApp(configFromEnv(env));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      app.logger.warn('connections still open after 10 s; exiting anyway');
      process.exit(1);
    }, 10_000);
    force.unref();
    app.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
