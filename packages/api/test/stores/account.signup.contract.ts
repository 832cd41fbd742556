// The account store's sign-up controls and email verification (decision 022) on every engine: the
// mode, invites (one live per address, even when sent at once) and verification links.
import { describe, expect, it } from 'vitest';
import {
  addUser,
  auditActions,
  countRows,
  later,
  NOW,
  refused,
  tokenFromMail,
  useEngine,
} from './account.fixtures.ts';
import type { OpenEngine } from './engine.ts';

export function signupContract(openEngine: OpenEngine) {
  const engine = useEngine(openEngine);
  const admin = { actorUserId: null, actorLabel: 'cli:root', now: NOW };
  const base = 'https://tessera.example';

  describe('account store: sign-up mode and invites', () => {
    it('stores the mode; the page sees open until the platform is claimed', async () => {
      const account = engine().stores.account;
      expect(await account.readSignupMode()).toBe('open');
      expect(await account.setSignupMode({ ...admin, mode: 'closed' })).toEqual({
        mode: 'closed',
        previous: 'open',
      });
      expect(await account.setSignupMode({ ...admin, mode: 'invite' })).toEqual({
        mode: 'invite',
        previous: 'closed',
      });
      expect(await account.readSignupMode()).toBe('invite');
      expect(await account.effectiveSignupMode()).toBe('open');
      await engine().sql("update tenants set admin_claimed_at = $1 where id = 'platform'", [
        NOW.getTime(),
      ]);
      expect(await account.effectiveSignupMode()).toBe('invite');
      // A hand-edited value nobody understands fails closed.
      await engine().sql("update app_meta set value = 'wide-open' where key = 'signup_mode'");
      expect(await account.readSignupMode()).toBe('closed');
      expect(await auditActions(engine(), 'signup_mode')).toEqual([
        'signup.mode_set',
        'signup.mode_set',
      ]);
    });

    it('mails an invite; a new one to the address retires the old; revoked once', async () => {
      const account = engine().stores.account;
      const first = await account.createInvite({
        ...admin,
        email: 'Bo@Example.test',
        baseUrl: base,
      });
      expect(first.email).toBe('bo@example.test');
      expect(first.link.startsWith(`${base}/sign-up?invite=`)).toBe(true);
      expect(
        await countRows(
          engine(),
          'mail_outbox',
          "template = 'signup_invite' and status = 'queued'",
        ),
      ).toBe(1);
      const firstToken = decodeURIComponent(first.link.split('invite=')[1]!);
      expect(await account.describeInvite(firstToken, NOW)).toEqual({ email: 'bo@example.test' });

      const second = await account.createInvite({
        ...admin,
        email: 'bo@example.test',
        baseUrl: base,
        now: later(1000),
      });
      await refused(account.describeInvite(firstToken, later(2000)), 'INVITE_INVALID');
      const secondToken = await tokenFromMail(engine(), 'signup_invite');
      expect(secondToken).toBe(decodeURIComponent(second.link.split('invite=')[1]!));
      // Expired after 7 days; a forged secret is unknown.
      await refused(account.describeInvite(secondToken, later(8 * 86_400_000)), 'INVITE_INVALID');
      await refused(account.describeInvite(`${second.id}.forged`, NOW), 'INVITE_INVALID');

      const listed = await account.listInvites({ now: later(2000) });
      expect(listed.map((i) => [i.id, i.status])).toEqual([
        [second.id, 'pending'],
        [first.id, 'revoked'],
      ]);
      await account.revokeInvite({ ...admin, id: second.id });
      await refused(account.revokeInvite({ ...admin, id: second.id }), 'NOT_FOUND');
      expect(await auditActions(engine(), second.id)).toEqual([
        'signup.invite_sent',
        'signup.invite_revoked',
      ]);
    });

    it('refuses to invite an address that has an account, writing nothing', async () => {
      await addUser(engine(), 'u1', 'ada@example.test');
      await refused(
        engine().stores.account.createInvite({
          ...admin,
          email: 'ada@example.test',
          baseUrl: base,
        }),
        'EMAIL_TAKEN',
      );
      expect(await countRows(engine(), 'signup_invites')).toBe(0);
      expect(await countRows(engine(), 'mail_outbox')).toBe(0);
    });

    it('of invites to one address sent at once, one stays live', async () => {
      const account = engine().stores.account;
      await Promise.all(
        [1, 2, 3].map(() =>
          account.createInvite({ ...admin, email: 'cy@example.test', baseUrl: base }),
        ),
      );
      const live = await countRows(engine(), 'signup_invites', 'revoked_at is null');
      expect(live).toBe(1);
    });
  });

  describe('account store: email verification', () => {
    it('mails a link on request (throttled); the link verifies once', async () => {
      await addUser(engine(), 'u1', 'ada@example.test');
      const account = engine().stores.account;
      const ask = (ms: number) =>
        account.resendEmailVerification({ userId: 'u1', baseUrl: base, now: later(ms) });
      expect(await ask(0)).toEqual({ alreadyVerified: false });
      const token = await tokenFromMail(engine(), 'verify_email');
      expect(await ask(1)).toEqual({ alreadyVerified: false });
      expect(await ask(2)).toEqual({ alreadyVerified: false });
      await refused(ask(3), 'TOO_MANY_ATTEMPTS');
      expect(await countRows(engine(), 'email_verification_tokens')).toBe(3);

      expect(await account.isEmailVerified('u1')).toBe(false);
      expect(await account.verifyEmail({ token, ip: null, now: later(10) })).toEqual({
        email: 'ada@example.test',
      });
      const [user] = await engine().sql<{ v: number | string | null }>(
        'select email_verified_at as v from users where id = $1',
        ['u1'],
      );
      expect(Number(user?.v)).toBe(later(10).getTime());
      expect(await account.isEmailVerified('u1')).toBe(true);
      expect(await account.isEmailVerified('nobody')).toBe(false);
      // This link and the others mailed before it are used up.
      await refused(
        account.verifyEmail({ token, ip: null, now: later(20) }),
        'VERIFY_LINK_INVALID',
      );
      expect(await countRows(engine(), 'email_verification_tokens', 'used_at is null')).toBe(0);
      expect(await ask(30)).toEqual({ alreadyVerified: true });
      expect(await auditActions(engine(), 'u1')).toEqual(['user.email_verified']);
      await refused(
        account.verifyEmail({ token: 'nope', ip: null, now: NOW }),
        'VERIFY_LINK_INVALID',
      );
    });

    it('refuses an expired link, verifying nothing', async () => {
      await addUser(engine(), 'u1', 'ada@example.test');
      const account = engine().stores.account;
      await account.resendEmailVerification({ userId: 'u1', baseUrl: base, now: NOW });
      const token = await tokenFromMail(engine(), 'verify_email');
      await expect(
        account.verifyEmail({ token, ip: null, now: later(25 * 3_600_000) }),
      ).rejects.toMatchObject({ code: 'VERIFY_LINK_INVALID', details: { reason: 'expired' } });
      expect(await countRows(engine(), 'users', 'email_verified_at is not null')).toBe(0);
    });
  });
}
