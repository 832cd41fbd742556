// What the PostgreSQL adapter needs from node-postgres: `query`, which a `pg.Pool` has. Each call is
// one statement in autocommit, i.e. one transaction; statements are named so that each pooled
// connection parses and plans them once.
import type { QueryResultRow } from 'pg';
import { type RetryOptions, withRetry } from './retry.ts';

type Query = <R extends QueryResultRow>(config: {
  name?: string;
  text: string;
  values?: unknown[];
}) => Promise<{ rows: R[] }>;

export interface PgQueryable {
  query: Query;
  /** A connection of its own (a pool has it), for work that sets session options. */
  connect?(): Promise<{ query: Query; release(error?: Error | boolean): void }>;
}

/**
 * A prepared statement run with bounded retries (see retry.ts for why retries cannot
 * double-apply). `onRetry` also hears, per call, what made it retry.
 */
export function statement<R extends QueryResultRow>(
  pool: PgQueryable,
  name: string,
  text: string,
  retry: RetryOptions,
): (values: unknown[], onRetry?: (error: unknown) => void) => Promise<R[]> {
  return (values, onRetry) =>
    withRetry(async () => (await pool.query<R>({ name, text, values })).rows, {
      ...retry,
      onRetry: (error, attempt) => {
        onRetry?.(error);
        retry.onRetry?.(error, attempt);
      },
    });
}

/** node-postgres returns bigint (int8) as a string; our values stay below 2^53. */
export function num(value: string | number | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}
