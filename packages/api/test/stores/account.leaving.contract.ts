// The account store's password reset (decision 021), linked identities (023) and leaving (025) on
// every engine.
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.ts';
import {
  addSession,
  addUser,
  auditActions,
  codeAt,
  countRows,
  later,
  NOW,
  refused,
  settings,
  tokenFromMail,
  useEngine,
} from './account.fixtures.ts';
import type { OpenEngine } from './engine.ts';

const base = 'https://tessera.example';
const NEW_PASSWORD = 'a quite long new passphrase 42';

export function leavingContract(openEngine: OpenEngine) {
  const engine = useEngine(openEngine);

  describe('account store: password reset', () => {
    it('answers the same for an unknown address, mailing nothing; throttles per address', async () => {
      await addUser(engine(), 'u1', 'ada@example.test');
      const account = engine().stores.account;
      const ask = (email: string, ms: number) =>
        account.requestPasswordReset({ email, baseUrl: base, ip: null, now: later(ms) });
      expect(await ask('nobody@example.test', 0)).toEqual({ ok: true });
      expect(await countRows(engine(), 'password_reset_tokens')).toBe(0);
      expect(await countRows(engine(), 'mail_outbox')).toBe(0);
      expect(await ask('ADA@example.test', 1)).toEqual({ ok: true });
      expect(await countRows(engine(), 'mail_outbox', "template = 'password_reset'")).toBe(1);
      expect(await auditActions(engine(), 'u1')).toEqual(['user.password_reset_requested']);
      await ask('ada@example.test', 2);
      await ask('ada@example.test', 3);
      await refused(ask('ada@example.test', 4), 'TOO_MANY_ATTEMPTS');
      expect(await countRows(engine(), 'password_reset_tokens')).toBe(3);
    });

    it('a link sets a new password once and ends every session; a weak one changes nothing', async () => {
      await addUser(engine(), 'u1', 'ada@example.test');
      await addSession(engine(), 's1', 'u1');
      await addSession(engine(), 's2', 'u1');
      const account = engine().stores.account;
      await refused(
        account.sendPasswordReset({
          email: 'no@example.test',
          baseUrl: base,
          now: NOW,
          actorLabel: 'cli:root',
        }),
        'NOT_FOUND',
      );
      const sent = await account.sendPasswordReset({
        email: 'ada@example.test',
        baseUrl: base,
        now: NOW,
        actorLabel: 'cli:root',
      });
      const token = await tokenFromMail(engine(), 'password_reset');
      expect(sent.link).toContain(encodeURIComponent(token));

      await refused(
        account.resetPassword({ token, password: 'short', ip: null, now: NOW }),
        'WEAK_PASSWORD',
      );
      expect(await countRows(engine(), 'sessions')).toBe(2);
      expect(
        await account.resetPassword({ token, password: NEW_PASSWORD, ip: null, now: NOW }),
      ).toEqual({
        sessionsEnded: 2,
      });
      const [user] = await engine().sql<{ h: string }>('select password_hash as h from users');
      expect(user?.h).toMatch(/^\$argon2id\$/);
      await refused(
        account.resetPassword({ token, password: NEW_PASSWORD, ip: null, now: NOW }),
        'RESET_LINK_INVALID',
      );
      await refused(
        account.resetPassword({
          token: `${sent.link.length}.x`,
          password: NEW_PASSWORD,
          ip: null,
          now: NOW,
        }),
        'RESET_LINK_INVALID',
      );
    });

    it('of two uses of one link at once, exactly one sets the password', async () => {
      await addUser(engine(), 'u1', 'ada@example.test');
      const account = engine().stores.account;
      await account.sendPasswordReset({
        email: 'ada@example.test',
        baseUrl: base,
        now: NOW,
        actorLabel: null,
      });
      const token = await tokenFromMail(engine(), 'password_reset');
      const outcomes = await Promise.allSettled(
        [1, 2].map(() =>
          account.resetPassword({ token, password: NEW_PASSWORD, ip: null, now: NOW }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await countRows(engine(), 'audit_events', "action = 'user.password_reset'")).toBe(1);
    });
  });

  describe('account store: linked identities', () => {
    it('lists and unlinks the user own links only', async () => {
      await addUser(engine(), 'u1', 'ada@example.test');
      await addUser(engine(), 'u2', 'bo@example.test');
      await engine().sql(
        `insert into user_identities (provider, subject, user_id, email, created_at)
         values ('oidc', 'sub-1', 'u1', 'ada@example.test', $1), ('github', '42', 'u2', null, $1)`,
        [NOW.getTime()],
      );
      const account = engine().stores.account;
      expect(await account.listUserIdentities('u1')).toEqual([
        { provider: 'oidc', subject: 'sub-1', email: 'ada@example.test', createdAt: NOW },
      ]);
      const input = { userId: 'u1', ip: null, now: NOW };
      await refused(
        account.unlinkIdentity({ ...input, provider: 'github', subject: '42' }),
        'NOT_FOUND',
      );
      expect(
        await account.unlinkIdentity({ ...input, provider: 'oidc', subject: 'sub-1' }),
      ).toEqual({ ok: true });
      expect(await account.listUserIdentities('u1')).toEqual([]);
      expect(await countRows(engine(), 'user_identities')).toBe(1);
      expect(await auditActions(engine(), 'u1')).toEqual(['user.identity_unlinked']);
    });
  });

  describe('account store: leaving', () => {
    it('exports the caller own data with defaults for what was never written', async () => {
      await addUser(engine(), 'u1', 'ada@example.test');
      await addSession(engine(), 's1', 'u1');
      const account = engine().stores.account;
      const data = await account.exportUserData({ userId: 'u1', now: NOW });
      expect(data).toMatchObject({
        format: 'tessera.user-export.v1',
        account: { id: 'u1', email: 'ada@example.test', emailVerifiedAt: null },
        credits: { balance: 0, purchased: 0, reserved: 0 },
        ledger: [],
        conversations: [],
        notificationSettings: { creditsLow: true },
      });
      expect(data.sessions.map((s) => s.id)).toEqual(['s1']);
      await refused(account.exportUserData({ userId: 'nobody', now: NOW }), 'NOT_FOUND');
    });

    it('exports each conversation with its messages in order, and nobody else', async () => {
      await addUser(engine(), 'u1', 'ada@example.test');
      await addUser(engine(), 'u2', 'bo@example.test');
      await engine().sql(
        `insert into conversations (id, user_id, title, model_id, created_at, updated_at)
         values ('c1', 'u1', 'tesserae', 'demo', $1, $1), ('c2', 'u2', 'secret', 'demo', $1, $1)`,
        [NOW.getTime()],
      );
      await engine().sql(
        `insert into messages (id, conversation_id, role, content, created_at) values
         ('m2', 'c1', 'assistant', 'an answer', $2), ('m1', 'c1', 'user', 'a question', $1),
         ('m3', 'c2', 'user', 'not yours', $1)`,
        [NOW.getTime(), NOW.getTime() + 1],
      );
      const data = await engine().stores.account.exportUserData({ userId: 'u1', now: NOW });
      expect(data.conversations.map((c) => c.id)).toEqual(['c1']);
      expect(data.conversations[0]!.messages.map((m) => [m.id, m.role, m.content])).toEqual([
        ['m1', 'user', 'a question'],
        ['m2', 'assistant', 'an answer'],
      ]);
      expect(data.conversations[0]!.messages[0]).not.toHaveProperty('conversationId');
    });

    it('deletes the own account only with its email and password, then anonymises it', async () => {
      const passwordHash = await hashPassword(NEW_PASSWORD);
      await addUser(engine(), 'u1', 'ada@example.test', { passwordHash, verified: true });
      await addSession(engine(), 's1', 'u1');
      const account = engine().stores.account;
      const input = { userId: 'u1', twoFactor: settings, ip: null, now: NOW };
      await refused(
        account.deleteOwnAccount({ ...input, email: 'bo@example.test', password: NEW_PASSWORD }),
        'VALIDATION',
      );
      await refused(
        account.deleteOwnAccount({
          ...input,
          email: 'ada@example.test',
          password: 'wrong one here',
        }),
        'INVALID_CREDENTIALS',
      );
      expect(await countRows(engine(), 'sessions')).toBe(1);
      const deleted = await account.deleteOwnAccount({
        ...input,
        email: 'ada@example.test',
        password: NEW_PASSWORD,
      });
      expect(deleted).toEqual({
        userId: 'u1',
        email: 'deleted-u1@invalid',
        sessionsEnded: 1,
        apiKeysDeleted: 0,
        conversationsDeleted: 0,
        membershipsRevoked: [],
      });
      const [user] = await engine().sql<{ email: string; deleted_at: unknown }>(
        'select email, deleted_at from users where id = $1',
        ['u1'],
      );
      expect(user?.email).toBe('deleted-u1@invalid');
      expect(Number(user?.deleted_at)).toBe(NOW.getTime());
      expect(
        await countRows(engine(), 'member_events', "user_id = 'u1' and kind = 'account.changed'"),
      ).toBe(1);
      expect(await auditActions(engine(), 'u1')).toEqual(['user.deleted']);
      await refused(
        account.deleteAccountByEmail({
          email: 'ada@example.test',
          actorLabel: 'cli:root',
          now: NOW,
        }),
        'NOT_FOUND',
      );
    });

    it('with two factors on, deletion also needs a code, spent only if the account goes', async () => {
      const passwordHash = await hashPassword(NEW_PASSWORD);
      await addUser(engine(), 'u1', 'ada@example.test', { passwordHash });
      const account = engine().stores.account;
      const { secret } = await account.startTotpEnrolment({ userId: 'u1', now: NOW, settings });
      await account.confirmTotpEnrolment({
        userId: 'u1',
        code: codeAt(secret, NOW),
        now: NOW,
        ip: null,
        settings,
      });
      const next = later(30_000);
      const input = {
        userId: 'u1',
        email: 'ada@example.test',
        password: NEW_PASSWORD,
        twoFactor: settings,
        ip: null,
        now: next,
      };
      await refused(account.deleteOwnAccount(input), 'VALIDATION');
      await refused(
        account.deleteOwnAccount({ ...input, code: '000000' }),
        'TWO_FACTOR_CODE_INVALID',
      );
      expect(await countRows(engine(), 'users', 'deleted_at is null')).toBe(1);
      expect((await account.twoFactorStatus('u1')).enabled).toBe(true);
      await account.deleteOwnAccount({ ...input, code: codeAt(secret, next) });
      expect(await countRows(engine(), 'users', 'deleted_at is null')).toBe(0);
      expect(await countRows(engine(), 'user_totp')).toBe(0);
      expect(await countRows(engine(), 'two_factor_recovery_codes')).toBe(0);
    });

    it('refuses the platform last owner, deleting nothing; another owner lets them go', async () => {
      await addUser(engine(), 'u1', 'ada@example.test');
      await addSession(engine(), 's1', 'u1');
      await engine().sql(
        "insert into tenant_members (tenant_id, user_id, role, created_at) values ('platform', 'u1', 'owner', $1)",
        [NOW.getTime()],
      );
      const account = engine().stores.account;
      const byOperator = { email: 'ada@example.test', actorLabel: 'cli:root', now: NOW };
      await refused(account.deleteAccountByEmail(byOperator), 'LAST_OWNER');
      expect(await countRows(engine(), 'sessions')).toBe(1);
      await addUser(engine(), 'u2', 'bo@example.test');
      await engine().sql(
        "insert into tenant_members (tenant_id, user_id, role, created_at) values ('platform', 'u2', 'owner', $1)",
        [NOW.getTime()],
      );
      expect((await account.deleteAccountByEmail(byOperator)).sessionsEnded).toBe(1);
      expect(await countRows(engine(), 'tenant_members', "user_id = 'u1'")).toBe(0);
    });

    it('of two last-but-one owners leaving at once, one stays', async () => {
      for (const [id, email] of [
        ['u1', 'ada@example.test'],
        ['u2', 'bo@example.test'],
      ] as const) {
        await addUser(engine(), id, email);
        await engine().sql(
          "insert into tenant_members (tenant_id, user_id, role, created_at) values ('platform', $1, 'owner', $2)",
          [id, NOW.getTime()],
        );
      }
      const account = engine().stores.account;
      const outcomes = await Promise.allSettled(
        ['ada@example.test', 'bo@example.test'].map((email) =>
          account.deleteAccountByEmail({ email, actorLabel: 'cli:root', now: NOW }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await countRows(engine(), 'tenant_members', "role = 'owner'")).toBe(1);
    });
  });
}
