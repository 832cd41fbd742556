// The account store's two factors (decision 024) on every engine: enrolment, the replay guard,
// recovery codes, the code throttle, the operator's reset, and a code racing itself.
import { describe, expect, it } from 'vitest';
import {
  addUser,
  auditActions,
  codeAt,
  countRows,
  later,
  NOW,
  refused,
  settings,
  useEngine,
} from './account.fixtures.ts';
import type { OpenEngine } from './engine.ts';

export function twoFactorContract(openEngine: OpenEngine) {
  const engine = useEngine(openEngine);

  /** ada with TOTP on (enrolled at NOW, so NOW's step is used up); her secret and codes. */
  async function enrolled() {
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
    return { secret, recoveryCodes };
  }

  describe('account store: two factors', () => {
    it('turns TOTP on only with a code for the new secret, once', async () => {
      await addUser(engine(), 'u1', 'ada@example.test');
      const account = engine().stores.account;
      expect(await account.twoFactorStatus('u1')).toEqual({
        enabled: false,
        enabledAt: null,
        recoveryCodesLeft: 0,
      });
      expect(await account.hasTwoFactor('u1')).toBe(false);
      const started = await account.startTotpEnrolment({ userId: 'u1', now: NOW, settings });
      expect(started.uri).toContain('otpauth://totp/');
      const input = { userId: 'u1', now: NOW, ip: null, settings };
      await refused(
        account.confirmTotpEnrolment({ ...input, code: '000000' }),
        'TWO_FACTOR_CODE_INVALID',
      );
      expect((await account.twoFactorStatus('u1')).enabled).toBe(false);
      // A started but unconfirmed enrolment is not a factor.
      expect(await account.hasTwoFactor('u1')).toBe(false);

      const { recoveryCodes } = await account.confirmTotpEnrolment({
        ...input,
        code: codeAt(started.secret, NOW),
      });
      expect(recoveryCodes).toHaveLength(10);
      expect(await account.twoFactorStatus('u1')).toEqual({
        enabled: true,
        enabledAt: NOW,
        recoveryCodesLeft: 10,
      });
      expect(await account.hasTwoFactor('u1')).toBe(true);
      expect(await account.hasTwoFactor('nobody')).toBe(false);
      expect(await auditActions(engine(), 'u1')).toEqual(['two_factor.enabled']);
      // An enabled factor is never replaced by a new enrolment.
      await refused(account.startTotpEnrolment({ userId: 'u1', now: NOW, settings }), 'CONFLICT');
      await refused(
        account.startTotpEnrolment({ userId: 'nobody', now: NOW, settings }),
        'NOT_FOUND',
      );
    });

    it('accepts a time step once: a replayed code turns nothing off', async () => {
      const { secret } = await enrolled();
      const account = engine().stores.account;
      const now = later(5_000); // same step as the enrolment code
      await refused(
        account.disableTwoFactor({
          userId: 'u1',
          code: codeAt(secret, NOW),
          now,
          ip: null,
          settings,
        }),
        'TWO_FACTOR_CODE_INVALID',
      );
      expect((await account.twoFactorStatus('u1')).enabled).toBe(true);

      const next = later(30_000);
      await account.disableTwoFactor({
        userId: 'u1',
        code: codeAt(secret, next),
        now: next,
        ip: '192.0.2.1',
        settings,
      });
      expect((await account.twoFactorStatus('u1')).enabled).toBe(false);
      expect(await countRows(engine(), 'two_factor_recovery_codes', 'user_id = $1', ['u1'])).toBe(
        0,
      );
      expect(await auditActions(engine(), 'u1')).toEqual([
        'two_factor.enabled',
        'two_factor.disabled',
      ]);
      await refused(
        account.disableTwoFactor({ userId: 'u1', code: '123456', now: next, ip: null, settings }),
        'NOT_FOUND',
      );
    });

    it('renews recovery codes with a TOTP code only; a recovery code works once', async () => {
      const { secret, recoveryCodes } = await enrolled();
      const account = engine().stores.account;
      const t1 = later(30_000);
      // Regenerating needs the authenticator, not a recovery code.
      await refused(
        account.regenerateRecoveryCodes({
          userId: 'u1',
          code: recoveryCodes[0]!,
          now: t1,
          ip: null,
          settings,
        }),
        'TWO_FACTOR_CODE_INVALID',
      );
      const renewed = await account.regenerateRecoveryCodes({
        userId: 'u1',
        code: codeAt(secret, t1),
        now: t1,
        ip: null,
        settings,
      });
      expect(renewed.recoveryCodes).toHaveLength(10);
      expect(renewed.recoveryCodes).not.toContain(recoveryCodes[0]);
      const t2 = later(60_000);
      await refused(
        account.disableTwoFactor({
          userId: 'u1',
          code: recoveryCodes[1]!,
          now: t2,
          ip: null,
          settings,
        }),
        'TWO_FACTOR_CODE_INVALID',
      );
      await account.disableTwoFactor({
        userId: 'u1',
        code: renewed.recoveryCodes[0]!.toUpperCase(),
        now: t2,
        ip: null,
        settings,
      });
      expect(await auditActions(engine(), 'u1')).toEqual([
        'two_factor.enabled',
        'two_factor.recovery_codes_regenerated',
        'two_factor.recovery_code_used',
        'two_factor.disabled',
      ]);
    });

    it('throttles code guesses per user: the sixth at once is refused, even a right one', async () => {
      const { secret } = await enrolled();
      const account = engine().stores.account;
      const now = later(30_000);
      for (let i = 0; i < 5; i++) {
        await refused(
          account.disableTwoFactor({ userId: 'u1', code: '000000', now, ip: null, settings }),
          'TWO_FACTOR_CODE_INVALID',
        );
      }
      await refused(
        account.disableTwoFactor({
          userId: 'u1',
          code: codeAt(secret, now),
          now,
          ip: null,
          settings,
        }),
        'TOO_MANY_ATTEMPTS',
      );
      expect((await account.twoFactorStatus('u1')).enabled).toBe(true);
    });

    it('lets an operator reset it, audited; NOT_FOUND for an unknown address', async () => {
      await enrolled();
      const account = engine().stores.account;
      const input = { now: NOW, actorLabel: 'cli:root' };
      await refused(
        account.resetTwoFactor({ ...input, email: 'nobody@example.test' }),
        'NOT_FOUND',
      );
      expect(await account.resetTwoFactor({ ...input, email: ' ADA@example.test' })).toEqual({
        email: 'ada@example.test',
        userId: 'u1',
        wasEnabled: true,
      });
      expect((await account.twoFactorStatus('u1')).enabled).toBe(false);
      expect(
        (await account.resetTwoFactor({ ...input, email: 'ada@example.test' })).wasEnabled,
      ).toBe(false);
    });

    it('of one code sent several times at once, exactly one is accepted', async () => {
      const { secret } = await enrolled();
      const account = engine().stores.account;
      const now = later(30_000);
      const code = codeAt(secret, now);
      const outcomes = await Promise.allSettled(
        [1, 2, 3].map(() =>
          account.regenerateRecoveryCodes({ userId: 'u1', code, now, ip: null, settings }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(
        await countRows(
          engine(),
          'audit_events',
          "action = 'two_factor.recovery_codes_regenerated'",
        ),
      ).toBe(1);
    });
  });
}
