// Bounded retries for PostgreSQL money transactions. Retrying is safe only because every method
// of the money store is keyed: a reservation by its request id, a settlement by the reservation's
// `status = 'open'` guard, every ledger row by its unique idempotency key. A retry of something
// that committed (its answer lost with the connection) finds its own key and changes nothing.

/** Serialization failure, deadlock detected: the transaction was rolled back, try again. */
const TRANSIENT = new Set(['40001', '40P01']);
/** The connection died: the statement may or may not have committed; a keyed retry tells. */
const CONNECTION = new Set(['57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED']);

export interface RetryOptions {
  /** Attempts in all (default 5). */
  tries?: number;
  /** Backoff before the second attempt, doubled each time, ±50% jitter (default 2 ms). */
  baseDelayMs?: number;
  /** Called before each retry (tests count them; the server may log). */
  onRetry?: (error: unknown, attempt: number) => void;
}

export function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && TRANSIENT.has(code)) || isConnectionLoss(error);
}

/** The connection died mid-call: whether the statement committed is unknown. */
export function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return CONNECTION.has(code) || code.startsWith('08');
  // node-postgres reports a socket closed mid-query without a code.
  return /Connection terminated|connection ended|Client has encountered a connection error/i.test(
    error.message,
  );
}

export async function withRetry<T>(run: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const tries = options.tries ?? 5;
  const base = options.baseDelayMs ?? 2;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= tries || !isRetryable(error)) throw error;
      options.onRetry?.(error, attempt);
      const delay = base * 2 ** (attempt - 1) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
