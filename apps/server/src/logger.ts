import { type Logger, pino } from 'pino';
import type { AppConfig } from './config.ts';

export type { Logger };

/** JSON lines on stdout (one event per line, greppable and shippable). */
export function createLogger(config: Pick<AppConfig, 'logLevel' | 'nodeEnv'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'tessera' },
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization'], censor: '[redacted]' },
  });
}
