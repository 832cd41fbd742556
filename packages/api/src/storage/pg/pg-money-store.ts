// The PostgreSQL adapter of the money store. Admission, settlement, release and credit moves are
// each one call of a SQL function (money-functions.sql): one round trip, one transaction, the
// account row locked first. The shared TypeScript decides everything that is not storage: input
// validation, time-zone periods, limits from entitlements, refusal wording.

import { assertValidMove, explainUnchanged } from '../../domain/credits/move-credits.ts';
import {
  type Admission,
  type AdmissionInput,
  invalidAdmission,
  maxOutputTokensFor,
  quotaExceeded,
  Refusal,
  rateLimited,
  refusedWith,
  replayOf,
  smallest,
  UNLIMITED,
} from '../../domain/usage/admit-request.ts';
import { periodStartMs } from '../../domain/usage/periods.ts';
import { THIS_INSTANCE_LEASE } from '../../domain/usage/reservation-lease.ts';
import { assertValidUsage } from '../../domain/usage/settle-request.ts';
import { DomainError } from '../../errors.ts';
import type { MoneyStore, SettleInput } from '../money-store.ts';
import { checkPgCreditInvariants } from './pg-invariants.ts';
import { createPgLeases } from './pg-leases.ts';
import { num, type PgQueryable, statement } from './pg-query.ts';
import { createPgRefills } from './pg-refills.ts';
import { isConnectionLoss, type RetryOptions } from './retry.ts';

/** SQLSTATE of a refusal raised by tessera_admit (message = which guard, detail = JSON). */
const REFUSED = 'TS001';

export interface PgMoneyStoreOptions {
  retry?: RetryOptions;
  /** Connections a scheduled refill works on at once, on disjoint users (default 2). */
  refillWorkers?: number;
}

export function createPgMoneyStore(
  pool: PgQueryable,
  options: PgMoneyStoreOptions = {},
): MoneyStore {
  const retry = options.retry ?? {};
  const admitCall = statement<{
    o_outcome: string;
    o_amount: string | null;
    o_owner: string | null;
  }>(
    pool,
    'tessera_admit',
    'select * from tessera_admit($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)',
    retry,
  );
  const settleCall = statement<{
    o_outcome: 'settled' | 'already_settled' | 'unknown_request';
    o_user_id: string;
    o_charged: string;
    o_released: string;
    o_balance: string;
  }>(pool, 'tessera_settle', 'select * from tessera_settle($1, $2, $3, $4, $5, $6, $7, $8)', retry);
  const moveCall = statement<{
    o_outcome: 'applied' | 'duplicate' | 'no_account' | 'unchanged';
    o_delta: string;
    o_balance: string;
    o_purchased: string;
    o_reserved: string;
  }>(
    pool,
    'tessera_move_credits',
    'select * from tessera_move_credits($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)',
    retry,
  );
  const refills = createPgRefills(pool, retry, Math.max(1, options.refillWorkers ?? 2));
  const leases = createPgLeases(pool, retry);

  async function admitted(input: AdmissionInput): Promise<Admission> {
    const now = input.now.getTime();
    const e = input.entitlements;
    const maxOutputTokens = maxOutputTokensFor(input);
    const lease = input.lease ?? THIS_INSTANCE_LEASE;
    let answerLost = false;
    const [row] = await admitCall(
      [
        input.requestId,
        input.userId,
        input.modelId,
        input.inputTokens,
        maxOutputTokens,
        now,
        // Who answers it and for how long it vouches for the reservation (decision 030).
        lease.holder,
        lease.ms,
        e.requestsPerMinute === null ? 0 : periodStartMs(now, 'minute', input.timeZone),
        e.requestsPerMinute,
        periodStartMs(now, 'day', input.timeZone),
        e.requestsPerDay ?? UNLIMITED,
        periodStartMs(now, 'month', input.timeZone),
        e.requestsPerMonth ?? UNLIMITED,
      ],
      (error) => {
        answerLost ||= isConnectionLoss(error);
      },
    );
    if (!row) throw new Error('tessera_admit returned no row');
    // Our own earlier attempt committed and its answer was lost with the connection: the
    // reservation is this call's, not a reconnect's (which the chat engine would refuse as
    // "already being answered"). Should it in fact be a racing reconnect's, the request is still
    // reserved once and settled once: the second settlement finds it closed.
    if (row.o_outcome === 'replay' && answerLost && row.o_owner === input.userId)
      return {
        ok: true,
        requestId: input.requestId,
        reserved: num(row.o_amount),
        maxOutputTokens,
        replay: false,
      };
    if (row.o_outcome === 'admitted')
      return {
        ok: true,
        requestId: input.requestId,
        reserved: num(row.o_amount),
        maxOutputTokens,
        replay: false,
      };
    if (row.o_outcome === 'replay')
      return replayOf(
        { user_id: row.o_owner ?? '', amount: num(row.o_amount), status: 'open' },
        input,
      );
    return {
      ok: false,
      code: 'MODEL_UNAVAILABLE',
      message: `The model "${input.modelId}" is not available.`,
      details: {},
    };
  }

  /** The refusal tessera_admit raised, worded as SQLite's admission words it. */
  function refusalOf(input: AdmissionInput, guard: string, detail: string | undefined): Refusal {
    const e = input.entitlements;
    const figures = detail ? (JSON.parse(detail) as Record<string, number | null>) : {};
    if (guard === 'rate_limited') return rateLimited(input);
    if (guard === 'month') return quotaExceeded(input, 'month', e.requestsPerMonth);
    const cap = figures.dailyCap ?? null;
    if (guard === 'day') return quotaExceeded(input, 'day', smallest(e.requestsPerDay, cap));
    if (cap !== null && num(figures.dayRequests) > cap)
      return quotaExceeded(input, 'day', smallest(e.requestsPerDay, cap));
    const needed = num(figures.needed);
    const available = figures.balance == null ? 0 : num(figures.balance) - num(figures.reserved);
    return new Refusal('INSUFFICIENT_CREDITS', 'Not enough credits for this request.', {
      needed,
      available,
      monthlyCapReached: figures.monthlyCap != null && available >= needed,
    });
  }

  async function settle(input: SettleInput) {
    assertValidUsage(input);
    const now = input.now.getTime();
    const [row] = await settleCall([
      input.requestId,
      input.modelId,
      input.inputTokens,
      input.outputTokens,
      now,
      periodStartMs(now, 'day', input.timeZone),
      periodStartMs(now, 'month', input.timeZone),
      input.announce === true,
    ]);
    if (!row) throw new Error('tessera_settle returned no row');
    if (row.o_outcome !== 'settled') return { settled: false as const, reason: row.o_outcome };
    return {
      settled: true as const,
      userId: row.o_user_id,
      charged: num(row.o_charged),
      released: num(row.o_released),
      balance: num(row.o_balance),
    };
  }

  return {
    engine: 'postgres',
    async admit(input) {
      const invalid = invalidAdmission(input);
      if (invalid) return invalid;
      if (input.refills.length > 0) await refills.refillUserOnDemand(input);
      try {
        return await admitted(input);
      } catch (error) {
        const e = error as { code?: string; message?: string; detail?: string };
        if (e.code === REFUSED) return refusedWith(refusalOf(input, e.message ?? '', e.detail));
        throw error;
      }
    },
    settle,
    release(input) {
      return settle({ ...input, inputTokens: 0, outputTokens: 0 });
    },
    async moveCredits(input) {
      assertValidMove(input);
      const [row] = await moveCall([
        input.userId,
        input.pot,
        input.mode,
        input.amount,
        input.kind,
        input.idempotencyKey,
        input.reference,
        input.actorUserId,
        input.now.getTime(),
        input.audit.action,
        input.audit.tenantId ?? null,
        input.audit.actorLabel ?? null,
        JSON.stringify(input.audit.data ?? {}),
      ]);
      if (!row) throw new Error('tessera_move_credits returned no row');
      if (row.o_outcome === 'duplicate') return { applied: false, reason: 'duplicate' };
      if (row.o_outcome === 'no_account') throw new DomainError('NOT_FOUND', 'No such user.');
      const account = {
        balance: num(row.o_balance),
        purchased: num(row.o_purchased),
        reserved: num(row.o_reserved),
      };
      if (row.o_outcome === 'unchanged') return explainUnchanged(input, account);
      return {
        applied: true,
        delta: num(row.o_delta),
        balance: account.balance,
        purchased: account.purchased,
      };
    },
    refillUserOnDemand: refills.refillUserOnDemand,
    runScheduledRefills: refills.runScheduledRefills,
    renewLeases: leases.renewLeases,
    releaseStaleReservations: leases.releaseStaleReservations,
    checkInvariants() {
      return checkPgCreditInvariants(pool);
    },
  };
}
