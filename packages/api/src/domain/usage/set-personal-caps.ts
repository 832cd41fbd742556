import type { Db } from '@tessera/db';
import { DomainError } from '../../errors.ts';
import type { Entitlements } from '../entitlements/entitlements.ts';

/** A user's own limits, below what the plan allows (a daily cap above the plan's is refused). */
export function setPersonalCaps(
  db: Db,
  input: {
    userId: string;
    entitlements: Entitlements;
    dailyRequestCap: number | null;
    monthlyCreditCap: number | null;
    now: Date;
  },
) {
  checkPersonalCaps(input);
  db.$client
    .prepare(
      'update credit_accounts set daily_request_cap = ?, monthly_credit_cap = ?, updated_at = ? where user_id = ?',
    )
    .run(input.dailyRequestCap, input.monthlyCreditCap, input.now.getTime(), input.userId);
  return { dailyRequestCap: input.dailyRequestCap, monthlyCreditCap: input.monthlyCreditCap };
}

/** VALIDATION when the daily cap is above the plan's (shared by every storage adapter). */
export function checkPersonalCaps(input: {
  entitlements: Entitlements;
  dailyRequestCap: number | null;
}): void {
  const plan = input.entitlements.requestsPerDay;
  if (input.dailyRequestCap !== null && plan !== null && input.dailyRequestCap > plan) {
    throw new DomainError(
      'VALIDATION',
      `Your plan allows ${plan} requests a day; a personal cap must be lower.`,
      {
        fieldErrors: { dailyRequestCap: ['ABOVE_PLAN'] },
        planLimit: plan,
      },
    );
  }
}
