// The pending 2FA sign-in on every engine: issued after the first factor, redeemed once with a
// right code before it expires, refused (nothing written) for a wrong code, a used or expired
// token, a disabled account; of one token redeemed several times at once, one wins.
import { describe, expect, it } from 'vitest';
import {
  addUser,
  codeAt,
  countRows,
  later,
  NOW,
  refused,
  settings,
  useEngine,
} from './account.fixtures.ts';
import type { OpenEngine } from './engine.ts';

export function twoFactorChallengeContract(openEngine: OpenEngine) {
  const engine = useEngine(openEngine);

  /** ada with TOTP on (NOW's step used by the enrolment) and a pending password sign-in. */
  async function pending() {
    await addUser(engine(), 'u1', 'ada@example.test');
    const account = engine().stores.account;
    const { secret } = await account.startTotpEnrolment({ userId: 'u1', now: NOW, settings });
    const { recoveryCodes } = await account.confirmTotpEnrolment({
      userId: 'u1',
      code: codeAt(secret, NOW),
      now: NOW,
      ip: null,
      settings,
    });
    const challenge = await account.issueTwoFactorChallenge({
      userId: 'u1',
      now: NOW,
      method: 'password',
    });
    return { secret, recoveryCodes, ...challenge };
  }

  const used = () => countRows(engine(), 'two_factor_challenges', 'used_at is not null');

  describe('account store: the pending two-factor sign-in', () => {
    it('issues a 5-minute token and redeems it once with a right code', async () => {
      const { secret, pendingToken, expiresAt } = await pending();
      expect(expiresAt).toEqual(later(5 * 60_000));
      expect(pendingToken).toMatch(/^[^.]+\.[^.]+$/);
      const account = engine().stores.account;
      const now = later(30_000);
      const input = { pendingToken, now, ip: null, settings };
      await refused(
        account.redeemTwoFactorChallenge({ ...input, code: '000000' }),
        'TWO_FACTOR_CODE_INVALID',
      );
      expect(await used()).toBe(0);
      expect(
        await account.redeemTwoFactorChallenge({ ...input, code: codeAt(secret, now) }),
      ).toEqual({ userId: 'u1', method: 'password', secondFactor: 'totp' });
      expect(await used()).toBe(1);
      await refused(
        account.redeemTwoFactorChallenge({ ...input, code: codeAt(secret, now, 1) }),
        'TWO_FACTOR_CHALLENGE_INVALID',
      );
    });

    it('takes a recovery code; refuses an expired or forged token and a disabled account', async () => {
      const { recoveryCodes, pendingToken } = await pending();
      const account = engine().stores.account;
      const input = { ip: null, settings, code: recoveryCodes[0] ?? '' };
      await refused(
        account.redeemTwoFactorChallenge({ ...input, pendingToken, now: later(5 * 60_000) }),
        'TWO_FACTOR_CHALLENGE_INVALID',
      );
      const [id] = pendingToken.split('.');
      await refused(
        account.redeemTwoFactorChallenge({ ...input, pendingToken: `${id}.forged`, now: NOW }),
        'TWO_FACTOR_CHALLENGE_INVALID',
      );
      await refused(
        account.redeemTwoFactorChallenge({ ...input, pendingToken: 'garbage', now: NOW }),
        'TWO_FACTOR_CHALLENGE_INVALID',
      );
      expect(await used()).toBe(0);
      expect(
        await account.redeemTwoFactorChallenge({ ...input, pendingToken, now: later(1_000) }),
      ).toMatchObject({ userId: 'u1', secondFactor: 'recovery_code' });

      const second = await account.issueTwoFactorChallenge({
        userId: 'u1',
        now: NOW,
        method: 'github',
      });
      await engine().sql('update users set disabled_at = $1 where id = $2', [NOW.getTime(), 'u1']);
      await refused(
        account.redeemTwoFactorChallenge({
          ...input,
          code: recoveryCodes[1] ?? '',
          pendingToken: second.pendingToken,
          now: later(1_000),
        }),
        'TWO_FACTOR_CHALLENGE_INVALID',
      );
      expect(await used()).toBe(1);
    });

    it('of one token redeemed several times at once, exactly one wins', async () => {
      const { recoveryCodes, pendingToken } = await pending();
      const account = engine().stores.account;
      const now = later(30_000);
      const outcomes = await Promise.allSettled(
        recoveryCodes
          .slice(0, 3)
          .map((code) =>
            account.redeemTwoFactorChallenge({ pendingToken, code, now, ip: null, settings }),
          ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await used()).toBe(1);
      // The losers' recovery codes were rolled back with their transactions.
      expect((await account.twoFactorStatus('u1')).recoveryCodesLeft).toBe(9);
    });
  });
}
