/** Largest usage a single request may report; anything above is treated as a lie, not a bill. */
export const MAX_TOKENS_PER_REQUEST = 10_000_000;
/** Output cap applied when a plan says "unlimited" — a reservation still needs a worst case. */
export const PLATFORM_MAX_OUTPUT_TOKENS = 32_768;

export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

export function isValidTokenCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= MAX_TOKENS_PER_REQUEST;
}

/** Credits for a usage, rounded up per direction (a request is never free by rounding). */
export function costOf(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return (
    Math.ceil((inputTokens * price.inputPerMillion) / 1_000_000) +
    Math.ceil((outputTokens * price.outputPerMillion) / 1_000_000)
  );
}
