// Admission: the one synchronous transaction that decides whether a request may run. It counts the
// request against its rate and calendar quotas and reserves the worst-case credits, each with one
// guarded statement; any refusal rolls everything back and comes out as a typed value.
import type { Db } from '@tessera/db';
import type { DomainErrorCode, DomainErrorDetails } from '../../errors.ts';
import { type HeldRefill, refillUserOnDemand } from '../credits/refill-user.ts';
import type { Entitlements } from '../entitlements/entitlements.ts';
import { nextPeriodStart, periodStart } from './periods.ts';
import { costOf, isValidTokenCount, PLATFORM_MAX_OUTPUT_TOKENS } from './pricing.ts';
import { hotStatements } from './statements.ts';

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
}

export type Admission =
  | { ok: true; requestId: string; reserved: number; maxOutputTokens: number; replay: boolean }
  | { ok: false; code: DomainErrorCode; message: string; details: DomainErrorDetails };

class Refusal extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
  }
}

const UNLIMITED = Number.MAX_SAFE_INTEGER;
/** Which process holds a reservation (see release-stale-reservations.ts). */
export const PROCESS_HOLDER = String(process.pid);

function smallest(...limits: (number | null | undefined)[]): number | null {
  const numbers = limits.filter((l): l is number => typeof l === 'number');
  return numbers.length === 0 ? null : Math.min(...numbers);
}

export function admitRequest(db: Db, input: AdmissionInput): Admission {
  if (!isValidTokenCount(input.inputTokens)) {
    return {
      ok: false,
      code: 'VALIDATION',
      message: 'Invalid input size.',
      details: { fieldErrors: { inputTokens: ['INVALID'] } },
    };
  }
  const s = hotStatements(db.$client);
  const now = input.now.getTime();
  const existing = s.getReservation.get(input.requestId);
  if (existing) return replayOf(existing, input);

  if (input.refills.length > 0) {
    refillUserOnDemand(db, {
      userId: input.userId,
      refills: input.refills,
      now: input.now,
      timeZone: input.timeZone,
    });
  }

  const price = s.getModelPrice.get(input.modelId);
  if (!price) {
    return {
      ok: false,
      code: 'MODEL_UNAVAILABLE',
      message: `The model "${input.modelId}" is not available.`,
      details: {},
    };
  }
  const e = input.entitlements;
  const planOutput = e.maxOutputTokens === null ? PLATFORM_MAX_OUTPUT_TOKENS : e.maxOutputTokens;
  const maxOutputTokens = Math.min(input.requestedOutputTokens ?? planOutput, planOutput);
  const reserve = costOf(
    {
      inputPerMillion: price.input_price_per_million,
      outputPerMillion: price.output_price_per_million,
    },
    input.inputTokens,
    maxOutputTokens,
  );

  try {
    return db.transaction(() => {
      if (
        !s.insertReservation.get({
          id: input.requestId,
          user: input.userId,
          amount: reserve,
          now,
          holder: PROCESS_HOLDER,
        })
      ) {
        throw new Refusal('CONFLICT', 'This request id is already in use.'); // raced with itself
      }
      const account = s.getAccount.get(input.userId);
      const day = periodStart(input.now, 'day', input.timeZone).getTime();
      const month = periodStart(input.now, 'month', input.timeZone).getTime();

      if (e.requestsPerMinute !== null) {
        const minute = periodStart(input.now, 'minute', input.timeZone).getTime();
        if (
          e.requestsPerMinute === 0 ||
          !s.countRequest.get({
            user: input.userId,
            window: 'minute',
            start: minute,
            limit: e.requestsPerMinute,
          })
        ) {
          throw new Refusal('RATE_LIMITED', 'Too many requests this minute.', {
            retryAfterSeconds: Math.max(1, Math.ceil((minute + 60_000 - now) / 1000)),
          });
        }
      }
      const windows = [
        ['day', day, smallest(e.requestsPerDay, account?.daily_request_cap)],
        ['month', month, e.requestsPerMonth],
      ] as const;
      for (const [window, start, limit] of windows) {
        if (
          limit === 0 ||
          !s.countRequest.get({ user: input.userId, window, start, limit: limit ?? UNLIMITED })
        ) {
          throw new Refusal('QUOTA_EXCEEDED', `The ${window}ly request limit is reached.`, {
            window,
            limit,
            resetsAt: nextPeriodStart(input.now, window, input.timeZone).toISOString(),
          });
        }
      }
      if (!s.reserveCredits.get({ amount: reserve, now, user: input.userId, month })) {
        const available = account ? account.balance - account.reserved : 0;
        throw new Refusal('INSUFFICIENT_CREDITS', 'Not enough credits for this request.', {
          needed: reserve,
          available,
          monthlyCapReached: account?.monthly_credit_cap != null && available >= reserve,
        });
      }
      return {
        ok: true as const,
        requestId: input.requestId,
        reserved: reserve,
        maxOutputTokens,
        replay: false,
      };
    });
  } catch (error) {
    if (error instanceof Refusal)
      return { ok: false, code: error.code, message: error.message, details: error.details };
    throw error;
  }
}

function replayOf(
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
  const planOutput = input.entitlements.maxOutputTokens ?? PLATFORM_MAX_OUTPUT_TOKENS;
  return {
    ok: true,
    requestId: input.requestId,
    reserved: existing.amount,
    maxOutputTokens: Math.min(input.requestedOutputTokens ?? planOutput, planOutput),
    replay: true,
  };
}
