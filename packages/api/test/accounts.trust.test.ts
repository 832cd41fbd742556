// Accounts the admin can stop, a password the user can change, and one trial per seller, ever.
import { afterEach, describe, expect, it } from 'vitest';
import {
  Browser,
  demoIds,
  type EngineTestApi,
  openTestApi,
  STRONG_PASSWORD,
  signedUp,
} from './harness.ts';

let api: EngineTestApi;
afterEach(() => api?.destroy());

async function adminAndMember() {
  api = await openTestApi({ seedDemo: true });
  const root = await signedUp(api, 'root@example.com');
  const member = await signedUp(api, 'member@example.com');
  return { admin: api.caller(root.browser), root, member };
}

describe('an admin disables an account', () => {
  it('ends its sessions and API keys at once, refuses sign-in as a wrong password would, and audits it', async () => {
    const { admin, member } = await adminAndMember();
    const userId = member.viewer.user.id;
    const key = await api.stores.members.createApiKey({
      userId,
      name: 'k',
      actorUserId: null,
      now: api.clock.now,
    });
    expect(await api.stores.members.verifyApiKey(key.key, api.clock.now)).not.toBeNull();

    const result = await admin.admin.users.disable({ userId, reason: 'chargeback' });
    expect(result).toMatchObject({ sessionsEnded: 1, disabledReason: 'chargeback' });
    expect(await api.caller(member.browser).auth.me()).toBeNull();
    expect(await api.stores.members.verifyApiKey(key.key, api.clock.now)).toBeNull();
    const signIn = (password: string) =>
      api
        .caller(new Browser('198.51.100.9'))
        .auth.signIn({ email: 'member@example.com', password });
    const disabledAnswer = await signIn(STRONG_PASSWORD).catch((e: unknown) => e);
    const wrongAnswer = await signIn('not the password').catch((e: unknown) => e);
    expect(disabledAnswer).toMatchObject({ cause: { code: 'INVALID_CREDENTIALS' } });
    expect((disabledAnswer as Error).message).toBe((wrongAnswer as Error).message);
    const { events } = await api.stores.ops.listAudit({ action: 'user.disabled' });
    expect(events).toHaveLength(1);
    expect(events[0]!.actorUserId).not.toBeNull();
    expect(events[0]!.data).toMatchObject({ reason: 'chargeback', sessionsEnded: 1 });

    await admin.admin.users.enable({ userId });
    await expect(signIn(STRONG_PASSWORD)).resolves.toMatchObject({ user: { id: userId } });
    expect(await api.stores.members.verifyApiKey(key.key, api.clock.now)).not.toBeNull();
  });

  it('will not let an admin disable their own account, and answers NOT_FOUND for an unknown one', async () => {
    const { admin, root } = await adminAndMember();
    await expect(admin.admin.users.disable({ userId: root.viewer.user.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(admin.admin.users.disable({ userId: 'nobody-here' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('a signed-in user changes their password', () => {
  it('needs the current one, ends every other session, and keeps this one', async () => {
    const { member } = await adminAndMember();
    const other = new Browser('198.51.100.20');
    await api.caller(other).auth.signIn({ email: 'member@example.com', password: STRONG_PASSWORD });
    const me = api.caller(member.browser);
    await expect(
      me.auth.changePassword({ currentPassword: 'wrong guess', newPassword: 'a-new-mosaic-77' }),
    ).rejects.toMatchObject({
      cause: {
        code: 'INVALID_CREDENTIALS',
        details: { fieldErrors: { currentPassword: ['WRONG_PASSWORD'] } },
      },
    });
    await expect(
      me.auth.changePassword({ currentPassword: STRONG_PASSWORD, newPassword: 'password' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    const result = await me.auth.changePassword({
      currentPassword: STRONG_PASSWORD,
      newPassword: 'a-new-mosaic-77',
    });
    expect(result.sessionsEnded).toBe(1);
    expect(await me.auth.me()).not.toBeNull();
    expect(await api.caller(other).auth.me()).toBeNull();
    await expect(
      api
        .caller(new Browser())
        .auth.signIn({ email: 'member@example.com', password: 'a-new-mosaic-77' }),
    ).resolves.toBeTruthy();
  });
});

describe('trials once per tenant', () => {
  it("takes one platform trial whatever the plan, never advertises another, and keeps the vendor's", async () => {
    const { admin, member } = await adminAndMember();
    const ids = await demoIds(api);
    // A second platform plan with a trial, on another mark: still the platform's one trial.
    const enterpriseTrial = await admin.admin.plans.create({
      markId: ids.marks.enterprise!,
      fields: {
        name: 'Enterprise trial',
        priceMinor: 9900,
        currency: 'usd',
        interval: 'month',
        trialDays: 14,
      },
    });
    const me = api.caller(member.browser);
    await me.membership.startTrial({ planId: ids.plans['Pro monthly']! });
    await expect(me.membership.startTrial({ planId: enterpriseTrial.id })).rejects.toMatchObject({
      cause: { code: 'TRIAL_USED' },
    });

    const catalog = await me.membership.catalog();
    const offered = catalog.filter((p) => p.trialAvailable).map((p) => p.tenantKind);
    expect(offered).toEqual(['vendor']); // Acme's own trial is still there
    expect(catalog.filter((p) => p.tenantKind === 'platform').every((p) => p.trialDays === 0)).toBe(
      true,
    );
    // A refusal's unlock payload does not advertise the used trial either.
    const models = await me.chat.models();
    const ultra = models.find((m) => m.id === 'tessera-ultra');
    expect(ultra?.unlock.length).toBeGreaterThan(0);
    for (const unlock of ultra?.unlock ?? []) {
      for (const plan of unlock.plans) expect(plan.trialDays).toBe(0);
    }
  });
});
