// The members store's contract, part two (run by membersContract): memberships — grant, extend,
// revoke, trials, the lapse sweep — with their events, audit rows and allowance lapse.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineUnderTest, OpenEngine } from './engine.ts';
import {
  addMark,
  addPlan,
  addUser,
  addVendor,
  countRows,
  DAY,
  dailyReset,
  entitlements,
  memberEvents,
  NOW,
} from './members.fixtures.ts';

const later = (ms: number) => new Date(NOW.getTime() + ms);

export function membershipsContract(openEngine: OpenEngine) {
  // A describe of its own: its engine hooks must not run around the other part's tests.
  describe('member changes', () => {
    let engine: EngineUnderTest;
    beforeEach(async () => {
      engine = await openEngine();
      await addMark(
        engine,
        'pro',
        entitlements({
          models: ['tessera-mini', 'tessera-plus'],
          apiAccess: true,
          refill: dailyReset(50_000),
        }),
      );
      await addUser(engine, 'ada');
    });
    afterEach(() => engine.close());

    const members = () => engine.stores.members;
    const grant = (
      userId: string,
      markId: string,
      days: number | null,
      now = NOW,
      mode?: 'extend',
    ) =>
      members().grantMark({ userId, markId, days, source: 'admin', actorUserId: null, now, mode });

    describe('memberships', () => {
      it('grants, then extends from the current end, with an event and an audit row each; the epoch moves', async () => {
        const epoch = Number(await members().readAuthEpoch());
        const first = await grant('ada', 'pro', 10);
        expect(first).toMatchObject({ markKey: 'pro', event: 'membership.granted' });
        expect(first.membership.expiresAt).toEqual(later(10 * DAY));
        expect(Number(await members().readAuthEpoch())).toBeGreaterThan(epoch);
        const second = await grant('ada', 'pro', 5, later(DAY), 'extend');
        expect(second.event).toBe('membership.extended');
        expect(second.membership.startsAt).toEqual(NOW);
        expect(second.membership.expiresAt).toEqual(later(15 * DAY));
        // After a lapse a grant starts again from now.
        const third = await grant('ada', 'pro', 2, later(20 * DAY));
        expect(third.event).toBe('membership.granted');
        expect(third.membership.expiresAt).toEqual(later(22 * DAY));
        expect(await memberEvents(engine, 'ada')).toEqual([
          'membership.granted:pro',
          'membership.extended:pro',
          'membership.granted:pro',
        ]);
        const audits = await engine.sql<{ action: string }>(
          "select action from audit_events where subject_id = 'ada' order by id",
        );
        expect(audits.map((a) => a.action)).toEqual([
          'membership.granted',
          'membership.extended',
          'membership.granted',
        ]);
        // A permanent grant stays permanent when extended.
        await grant('ada', 'free', null);
        expect((await grant('ada', 'free', 3, NOW, 'extend')).membership.expiresAt).toBeNull();
      });

      it('refuses an unknown mark or user, an extension of a mark never held, and a bad length, writing nothing', async () => {
        await expect(grant('ada', 'nope', 1)).rejects.toMatchObject({
          code: 'NOT_FOUND',
          message: 'No such mark.',
        });
        await expect(grant('nobody', 'pro', 1)).rejects.toMatchObject({
          code: 'NOT_FOUND',
          message: 'No such user.',
        });
        await expect(grant('ada', 'pro', 1, NOW, 'extend')).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
        await expect(grant('ada', 'pro', 0)).rejects.toMatchObject({ code: 'VALIDATION' });
        await expect(grant('ada', 'pro', 1.5)).rejects.toMatchObject({ code: 'VALIDATION' });
        expect(await countRows(engine, 'select count(*) as n from memberships')).toBe(0);
        expect(await countRows(engine, 'select count(*) as n from member_events')).toBe(0);
        expect(await countRows(engine, 'select count(*) as n from audit_events')).toBe(0);
      });

      it('revokes now, lowering the allowance to what the marks still held refill, with its events', async () => {
        await engine.sql("update credit_accounts set balance = 50000 where user_id = 'ada'");
        await grant('ada', 'free', null);
        await grant('ada', 'pro', 30);
        const result = await members().revokeMark({
          userId: 'ada',
          markId: 'pro',
          actorUserId: null,
          actorLabel: 'cli:test',
          reason: 'refund',
          now: later(DAY),
        });
        expect(result.markKey).toBe('pro');
        expect(result.membership).toMatchObject({ status: 'revoked', expiresAt: later(DAY) });
        expect(
          (await members().listActiveMemberships('ada', later(DAY))).map((m) => m.markKey),
        ).toEqual(['free']);
        const [account] = await engine.sql<{ balance: number | string }>(
          "select balance from credit_accounts where user_id = 'ada'",
        );
        expect(Number(account?.balance)).toBe(10_000); // Free's refill amount
        expect(await memberEvents(engine, 'ada')).toEqual([
          'membership.granted:free',
          'membership.granted:pro',
          'membership.revoked:pro',
          'credits.changed',
        ]);
        const audits = await engine.sql<{ action: string; actor_label: string | null }>(
          "select action, actor_label from audit_events where subject_id = 'ada' and action in ('membership.revoked', 'credits.lapsed')",
        );
        expect(audits.map((a) => a.action).sort()).toEqual([
          'credits.lapsed',
          'membership.revoked',
        ]);

        const events = await countRows(engine, 'select count(*) as n from member_events');
        await expect(
          members().revokeMark({
            userId: 'ada',
            markId: 'pro',
            actorUserId: null,
            now: later(DAY),
          }),
        ).rejects.toMatchObject({
          code: 'NOT_FOUND',
          message: 'The user does not hold this mark.',
        });
        await expect(
          members().revokeMark({
            userId: 'ada',
            markId: 'nope',
            actorUserId: null,
            now: later(DAY),
          }),
        ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No such mark.' });
        expect(await countRows(engine, 'select count(*) as n from member_events')).toBe(events);
      });

      it('lists every membership a user has had, live or not, optionally one tenant only', async () => {
        await addVendor(engine, 'acme', entitlements());
        await addMark(engine, 'acme-gold', entitlements(), 'acme');
        await grant('ada', 'pro', 1);
        await grant('ada', 'acme-gold', null, later(1));
        const all = await members().listUserMemberships({ userId: 'ada', now: later(2 * DAY) });
        expect(all.map((m) => [m.markKey, m.activeNow, m.status])).toEqual([
          ['acme:acme-gold', true, 'active'],
          ['pro', false, 'active'],
        ]);
        expect(all[1]).toMatchObject({
          markId: 'pro',
          markName: 'Mark pro',
          source: 'admin',
          reference: null,
          expiresAt: later(DAY),
        });
        const acme = await members().listUserMemberships({
          userId: 'ada',
          tenantId: 'acme',
          now: NOW,
        });
        expect(acme.map((m) => m.markKey)).toEqual(['acme:acme-gold']);
      });

      it('sweeps lapsed memberships to expired, with events, and leaves live ones', async () => {
        await addUser(engine, 'bob');
        await grant('ada', 'pro', 1);
        await grant('bob', 'pro', 10);
        expect(await members().sweepLapsedMemberships({ now: later(2 * DAY) })).toBe(1);
        const rows = await engine.sql<{ user_id: string; status: string }>(
          'select user_id, status from memberships order by user_id',
        );
        expect(rows).toEqual([
          { user_id: 'ada', status: 'expired' },
          { user_id: 'bob', status: 'active' },
        ]);
        expect(await memberEvents(engine, 'ada')).toContain('membership.expired:pro');
        expect(await members().sweepLapsedMemberships({ now: later(2 * DAY) })).toBe(0);
      });

      it("expires one user's lapsed marks (at sign-in), lowering the allowance they granted", async () => {
        await engine.sql("update credit_accounts set balance = 40000 where user_id = 'ada'");
        await grant('ada', 'pro', 1);
        expect(
          await members().expireLapsedMemberships({ userId: 'ada', now: later(DAY / 2) }),
        ).toEqual([]);
        expect(
          await members().expireLapsedMemberships({ userId: 'ada', now: later(2 * DAY) }),
        ).toEqual(['pro']);
        const [account] = await engine.sql<{ balance: number | string }>(
          "select balance from credit_accounts where user_id = 'ada'",
        );
        expect(Number(account?.balance)).toBe(0); // nothing held refills any more
        expect(await memberEvents(engine, 'ada')).toEqual([
          'membership.granted:pro',
          'membership.expired:pro',
          'credits.changed',
        ]);
        expect(
          await members().expireLapsedMemberships({ userId: 'ada', now: later(2 * DAY) }),
        ).toEqual([]);
      });
    });

    describe('trials', () => {
      it('grants a trial once per user and tenant, bounded by a vendor ceiling', async () => {
        await addPlan(engine, 'pro-monthly', 'pro', 14);
        const trial = await members().startTrial({
          userId: 'ada',
          planId: 'pro-monthly',
          now: NOW,
        });
        expect(trial).toMatchObject({ markKey: 'pro', event: 'membership.granted' });
        expect(trial.membership).toMatchObject({
          source: 'trial',
          reference: 'pro-monthly',
          expiresAt: later(14 * DAY),
        });
        await members().revokeMark({
          userId: 'ada',
          markId: 'pro',
          actorUserId: null,
          now: later(DAY),
        });
        await expect(
          members().startTrial({ userId: 'ada', planId: 'pro-monthly', now: later(DAY) }),
        ).rejects.toMatchObject({ code: 'TRIAL_USED' });

        await addVendor(engine, 'acme', { ...entitlements(), trialDays: 3 });
        await addMark(engine, 'acme-gold', entitlements(), 'acme');
        await addPlan(engine, 'gold', 'acme-gold', 30, 'acme');
        const vendorTrial = await members().startTrial({ userId: 'ada', planId: 'gold', now: NOW });
        expect(vendorTrial.membership.expiresAt).toEqual(later(3 * DAY));
      });

      it('refuses an unverified address, an unknown plan, a plan without trial and a mark already held, writing nothing', async () => {
        await addPlan(engine, 'pro-monthly', 'pro', 14);
        await addPlan(engine, 'no-trial', 'pro', 0);
        await addUser(engine, 'new', { verified: false });
        await expect(
          members().startTrial({ userId: 'new', planId: 'pro-monthly', now: NOW }),
        ).rejects.toMatchObject({ code: 'EMAIL_NOT_VERIFIED' });
        await expect(
          members().startTrial({ userId: 'ada', planId: 'nope', now: NOW }),
        ).rejects.toMatchObject({ code: 'NOT_FOUND' });
        await expect(
          members().startTrial({ userId: 'ada', planId: 'no-trial', now: NOW }),
        ).rejects.toMatchObject({ code: 'CONFLICT' });
        await grant('ada', 'pro', null);
        const events = await countRows(engine, 'select count(*) as n from member_events');
        await expect(
          members().startTrial({ userId: 'ada', planId: 'pro-monthly', now: NOW }),
        ).rejects.toMatchObject({ code: 'CONFLICT' });
        expect(await countRows(engine, 'select count(*) as n from trial_redemptions')).toBe(0);
        expect(await countRows(engine, 'select count(*) as n from member_events')).toBe(events);
      });

      it('lets one of several concurrent trials of a tenant win', async () => {
        await addPlan(engine, 'pro-monthly', 'pro', 14);
        await addMark(engine, 'max', entitlements());
        await addPlan(engine, 'max-monthly', 'max', 7);
        const attempts = await Promise.allSettled(
          ['pro-monthly', 'max-monthly', 'pro-monthly', 'max-monthly'].map((planId) =>
            members().startTrial({ userId: 'ada', planId, now: NOW }),
          ),
        );
        expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
        for (const a of attempts) {
          if (a.status === 'rejected')
            expect(a.reason).toMatchObject({ code: expect.stringMatching(/TRIAL_USED|CONFLICT/) });
        }
        expect(await countRows(engine, 'select count(*) as n from trial_redemptions')).toBe(1);
        expect(await countRows(engine, 'select count(*) as n from memberships')).toBe(1);
      });

      it('keeps one membership row when grants of one mark race', async () => {
        await Promise.all([1, 2, 3, 4, 5].map(() => grant('ada', 'pro', 1)));
        expect(await countRows(engine, 'select count(*) as n from memberships')).toBe(1);
        // Each grant extended the one row by its day, with its own event.
        expect(await memberEvents(engine, 'ada')).toHaveLength(5);
        const [row] = await engine.sql<{ expires_at: number | string }>(
          'select expires_at from memberships',
        );
        expect(Number(row?.expires_at)).toBe(later(5 * DAY).getTime());
      });
    });
  });
}
