// Admission: the one synchronous transaction that decides whether a request may run. It counts the
// request against its rate and calendar quotas and reserves the worst-case credits, each with one
// guarded statement; any refusal rolls everything back and comes out as a typed value.
import type { Db } from '@tessera/db';
import type { DomainErrorCode, DomainErrorDetails } from '../../errors.ts';
import { type HeldRefill, refillUserOnDemand } from '../credits/refill-user.ts';
import type { Entitlements } from '../entitlements/entitlements.ts';
import { nextPeriodStart, periodStartMs, WINDOW_ADJECTIVE } from './periods.ts';
import { costOf, isValidTokenCount, PLATFORM_MAX_OUTPUT_TOKENS } from './pricing.ts';
import { type ReservationLease, THIS_INSTANCE_LEASE } from './reservation-lease.ts';
import { type CountedWindow, hotStatements, hotTransaction } from './statements.ts';

export interface AdmissionInput {
  userId: string;
  /** Chosen by the client; a retry or reconnect with the same id is admitted once, charged once. */
  requestId: string;
  modelId: string;
  entitlements: Entitlements;
  /** Refill policies of the marks held now (on-demand ones run first). */
  refills: readonly HeldRefill[];
  /** Input tokens (counted) and the output the caller asks for (capped by the plan). */
  inputTokens: number;
  requestedOutputTokens?: number;
  now: Date;
  timeZone: string;
  /** Who holds the reservation and for how long (decision 030); default this instance, 30 s. */
  lease?: ReservationLease;
}

export type Admission =
  | { ok: true; requestId: string; reserved: number; maxOutputTokens: number; replay: boolean }
  | { ok: false; code: DomainErrorCode; message: string; details: DomainErrorDetails };

export class Refusal extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
  }
}

export const UNLIMITED = Number.MAX_SAFE_INTEGER;

export function smallest(...limits: (number | null | undefined)[]): number | null {
  const numbers = limits.filter((l): l is number => typeof l === 'number');
  return numbers.length === 0 ? null : Math.min(...numbers);
}

/** The refusal for an input no engine should see (checked before anything is read or written). */
export function invalidAdmission(input: AdmissionInput): Admission | null {
  if (isValidTokenCount(input.inputTokens)) return null;
  return {
    ok: false,
    code: 'VALIDATION',
    message: 'Invalid input size.',
    details: { fieldErrors: { inputTokens: ['INVALID'] } },
  };
}

export function admitRequest(db: Db, input: AdmissionInput): Admission {
  const invalid = invalidAdmission(input);
  if (invalid) return invalid;
  if (input.refills.length > 0) {
    refillUserOnDemand(db, {
      userId: input.userId,
      refills: input.refills,
      now: input.now,
      timeZone: input.timeZone,
    });
  }

  const s = hotStatements(db.$client);
  const price = s.getModelPrice(input.modelId);
  if (!price) {
    // A reconnect finds its reservation even if the model was switched off meanwhile.
    const existing = s.getReservation(input.requestId);
    if (existing) return replayOf(existing, input);
    return {
      ok: false,
      code: 'MODEL_UNAVAILABLE',
      message: `The model "${input.modelId}" is not available.`,
      details: {},
    };
  }
  const maxOutputTokens = maxOutputTokensFor(input);
  const reserve = costOf(
    {
      inputPerMillion: price.input_price_per_million,
      outputPerMillion: price.output_price_per_million,
    },
    input.inputTokens,
    maxOutputTokens,
  );

  try {
    return admitInTransaction(db.$client, { input, reserve, maxOutputTokens });
  } catch (error) {
    if (error instanceof Refusal) return refusedWith(error);
    throw error;
  }
}

/**
 * The admission transaction: reservation row, request counters, credit hold. A replay (the request
 * id exists) changes nothing; any refusal is thrown, which rolls back everything before it.
 */
const admitInTransaction = hotTransaction(
  (
    s,
    {
      input,
      reserve,
      maxOutputTokens,
    }: { input: AdmissionInput; reserve: number; maxOutputTokens: number },
  ): Admission => {
    const now = input.now.getTime();
    const user = input.userId;
    const lease = input.lease ?? THIS_INSTANCE_LEASE;
    if (!s.insertReservation(input.requestId, user, reserve, now, lease.holder, now + lease.ms)) {
      // The id exists (read in the same write transaction): a reconnect, or someone else's id.
      const existing = s.getReservation(input.requestId);
      if (existing) return replayOf(existing, input);
      throw new Error(`reservation ${input.requestId} conflicted but cannot be read`);
    }

    const e = input.entitlements;
    if (e.requestsPerMinute === 0) throw rateLimited(input);
    if (e.requestsPerDay === 0) throw quotaExceeded(input, 'day', 0);
    if (e.requestsPerMonth === 0) throw quotaExceeded(input, 'month', 0);
    const counted = s.countRequest(
      user,
      periodStartMs(now, 'day', input.timeZone),
      e.requestsPerDay ?? UNLIMITED,
      periodStartMs(now, 'month', input.timeZone),
      e.requestsPerMonth ?? UNLIMITED,
      e.requestsPerMinute === null ? 0 : periodStartMs(now, 'minute', input.timeZone),
      e.requestsPerMinute,
    );
    // A window at its limit is missing from `counted`. Refused in the order minute, day, month.
    let minuteCounted = e.requestsPerMinute === null;
    let today: CountedWindow | undefined;
    let thisMonth: CountedWindow | undefined;
    for (const row of counted) {
      if (row.window === 'day') today = row;
      else if (row.window === 'month') thisMonth = row;
      else minuteCounted = true;
    }
    if (!minuteCounted) throw rateLimited(input);
    if (!today) {
      const cap = s.getAccount(user)?.daily_request_cap;
      throw quotaExceeded(input, 'day', smallest(e.requestsPerDay, cap));
    }
    if (!thisMonth) throw quotaExceeded(input, 'month', e.requestsPerMonth);

    if (!s.reserveCredits(user, reserve, today.requests, thisMonth.credits, now)) {
      // Refused: read the account (same transaction) only to say why.
      const account = s.getAccount(user);
      const cap = account?.daily_request_cap;
      if (cap != null && today.requests > cap)
        throw quotaExceeded(input, 'day', smallest(e.requestsPerDay, cap));
      const available = account ? account.balance - account.reserved : 0;
      throw new Refusal('INSUFFICIENT_CREDITS', 'Not enough credits for this request.', {
        needed: reserve,
        available,
        monthlyCapReached: account?.monthly_credit_cap != null && available >= reserve,
      });
    }
    return {
      ok: true,
      requestId: input.requestId,
      reserved: reserve,
      maxOutputTokens,
      replay: false,
    };
  },
);

export function rateLimited(input: AdmissionInput): Refusal {
  const now = input.now.getTime();
  const minute = periodStartMs(now, 'minute', input.timeZone);
  return new Refusal('RATE_LIMITED', 'Too many requests this minute.', {
    retryAfterSeconds: Math.max(1, Math.ceil((minute + 60_000 - now) / 1000)),
  });
}

export function quotaExceeded(
  input: AdmissionInput,
  window: 'day' | 'month',
  limit: number | null,
) {
  return new Refusal(
    'QUOTA_EXCEEDED',
    `The ${WINDOW_ADJECTIVE[window]} request limit is reached.`,
    {
      window,
      limit,
      resetsAt: nextPeriodStart(input.now, window, input.timeZone).toISOString(),
    },
  );
}

export function replayOf(
  existing: { user_id: string; amount: number; status: string },
  input: AdmissionInput,
): Admission {
  if (existing.user_id !== input.userId) {
    return {
      ok: false,
      code: 'CONFLICT',
      message: 'This request id is already in use.',
      details: {},
    };
  }
  return {
    ok: true,
    requestId: input.requestId,
    reserved: existing.amount,
    maxOutputTokens: maxOutputTokensFor(input),
    replay: true,
  };
}

/** The output a request may produce: what it asks for, capped by the plan (or the platform). */
export function maxOutputTokensFor(input: AdmissionInput): number {
  const planOutput = input.entitlements.maxOutputTokens ?? PLATFORM_MAX_OUTPUT_TOKENS;
  return Math.min(input.requestedOutputTokens ?? planOutput, planOutput);
}

/** A thrown refusal as the typed value callers branch on. */
export function refusedWith(error: Refusal): Admission {
  return { ok: false, code: error.code, message: error.message, details: error.details };
}
