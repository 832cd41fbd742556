// The pending sign-in of an account with 2FA on PostgreSQL: the same token, lifetime and guards as
// auth/two-factor/challenge.ts. The challenge is consumed by a guarded UPDATE in the transaction
// that claims the code, so of two requests racing with one token exactly one gets it.
import { type PgDb, twoFactorChallenges, users } from '@tessera/db/pg';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { generateSessionToken, parseSessionToken } from '../../../auth/session-token.ts';
import {
  CHALLENGE_LIFETIME_MS,
  challengeInvalid,
  challengeUsable,
} from '../../../auth/two-factor/challenge.ts';
import { invalidCode } from '../../../auth/two-factor/verify-second-factor.ts';
import type { AccountStore } from '../../account-store.ts';
import { pgTransaction } from './pg-shared.ts';
import {
  pgAcceptSecondFactor,
  pgForgiveSecondFactorAttempts,
  pgTakeSecondFactorAttempt,
} from './two-factor.ts';

type ChallengeMethods = Pick<AccountStore, 'issueTwoFactorChallenge' | 'redeemTwoFactorChallenge'>;

export function pgTwoFactorChallenge(db: PgDb): ChallengeMethods {
  return {
    async issueTwoFactorChallenge(input) {
      const { id, token, secretHash } = generateSessionToken();
      const expiresAt = new Date(input.now.getTime() + CHALLENGE_LIFETIME_MS);
      await db.insert(twoFactorChallenges).values({
        id,
        secretHash: Buffer.from(secretHash),
        userId: input.userId,
        method: input.method,
        createdAt: input.now,
        expiresAt,
      });
      return { pendingToken: token, expiresAt };
    },

    async redeemTwoFactorChallenge(input) {
      const parsed = parseSessionToken(input.pendingToken);
      if (!parsed) throw challengeInvalid();
      const [row] = await db
        .select({
          id: twoFactorChallenges.id,
          secretHash: twoFactorChallenges.secretHash,
          userId: twoFactorChallenges.userId,
          method: twoFactorChallenges.method,
          usedAt: twoFactorChallenges.usedAt,
          expiresAt: twoFactorChallenges.expiresAt,
          disabledAt: users.disabledAt,
        })
        .from(twoFactorChallenges)
        .innerJoin(users, eq(users.id, twoFactorChallenges.userId))
        .where(eq(twoFactorChallenges.id, parsed.id));
      if (!row || !challengeUsable(row, parsed.secret, input.now)) throw challengeInvalid();

      const attempt = { userId: row.userId, ip: input.ip, now: input.now };
      // Its own transaction, committed either way: wrong codes count.
      await pgTakeSecondFactorAttempt(db, attempt);
      const secondFactor = await pgTransaction(db, async (tx) => {
        const method = await pgAcceptSecondFactor(tx, {
          ...attempt,
          code: input.code,
          box: input.settings.box,
          allowRecovery: true,
        });
        if (!method) throw invalidCode();
        const consumed = await tx
          .update(twoFactorChallenges)
          .set({ usedAt: input.now })
          .where(
            and(
              eq(twoFactorChallenges.id, row.id),
              isNull(twoFactorChallenges.usedAt),
              gt(twoFactorChallenges.expiresAt, input.now),
            ),
          )
          .returning({ id: twoFactorChallenges.id });
        if (consumed.length === 0) throw challengeInvalid();
        await pgForgiveSecondFactorAttempts(tx, attempt);
        return method;
      });
      return { userId: row.userId, method: row.method, secondFactor };
    },
  };
}
