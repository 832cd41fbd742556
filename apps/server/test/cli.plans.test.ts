// plan:list and plan:link: every plan by its stable key with what Stripe needs, and a price linked
// (validated, unique to one plan, audited as the CLI's OS user) or unlinked.
import { userInfo } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliRunner } from './harness.ts';
import { openTestStorage, type TestStorage } from './test-storage.ts';

describe('plan CLI', () => {
  let storage: TestStorage;
  const runner = cliRunner(() => storage.config);
  const { json } = runner;
  const cli = runner.run;
  /** The audit rows of one action, oldest first: who, and what changed. */
  const audited = async (action: string) =>
    // The whole log, filtered here: listAudit's `action` filter drops `_` from the prefix.
    (await storage.stores.ops.listAudit({ limit: 500 })).events
      .filter((event) => event.action === action)
      .reverse()
      .map((event) => [event.actorLabel, event.data]);

  beforeEach(async () => {
    storage = await openTestStorage();
    await storage.stores.catalog.seedDemo(new Date());
  });
  afterEach(() => storage.close());

  it('lists every plan by key, mark, interval, price and Stripe price id', async () => {
    expect(await cli('plan:list', '--json')).toBe(0);
    const plans = json() as { key: string }[];
    expect(plans.map((p) => p.key).sort()).toEqual([
      'acme:acme-writer',
      'enterprise',
      'free',
      'pro-monthly',
      'pro-yearly',
    ]);
    expect(plans.find((p) => p.key === 'pro-monthly')).toEqual({
      key: 'pro-monthly',
      name: 'Pro monthly',
      mark: 'pro',
      interval: 'month',
      priceMinor: 2000,
      currency: 'usd',
      stripePriceId: null,
      active: true,
    });
    expect(await cli('plan:list')).toBe(0);
    expect(runner.out.join('\n')).toMatch(/pro-yearly\s+pro\s+year\s+200\.00 USD/);
  });

  it('links a price, refuses a malformed or already-linked one, unlinks, and audits each change', async () => {
    expect(await cli('plan:link', 'pro-monthly', 'price_1ProMonthly', '--json')).toBe(0);
    expect(json()).toEqual({ key: 'pro-monthly', stripePriceId: 'price_1ProMonthly' });
    await cli('plan:list', '--json');
    expect(
      (json() as { key: string; stripePriceId: string | null }[]).find(
        (p) => p.key === 'pro-monthly',
      )?.stripePriceId,
    ).toBe('price_1ProMonthly');

    expect(await cli('plan:link', 'pro-yearly', 'prod_123', '--json')).toBe(1);
    expect(json().error).toMatchObject({
      code: 'VALIDATION',
      details: { fieldErrors: { priceId: ['STRIPE_PRICE_INVALID'] } },
    });
    expect(await cli('plan:link', 'pro-yearly', 'price_1ProMonthly', '--json')).toBe(1);
    expect(json().error.code).toBe('CONFLICT');
    expect(await cli('plan:link', 'no-such-plan', 'price_1X', '--json')).toBe(1);
    expect(json().error.code).toBe('NOT_FOUND');
    expect(await cli('plan:link', 'pro-monthly')).toBe(2);

    expect(await cli('plan:link', 'pro-monthly', '--unlink', '--json')).toBe(0);
    expect(json()).toEqual({ key: 'pro-monthly', stripePriceId: null });

    expect(await audited('plan.price_linked')).toEqual([
      [`cli:${userInfo().username}`, { key: 'pro-monthly', from: null, to: 'price_1ProMonthly' }],
      [`cli:${userInfo().username}`, { key: 'pro-monthly', from: 'price_1ProMonthly', to: null }],
    ]);
  });

  it('lists credit packs and links one to a price, audited like plans', async () => {
    expect(await cli('pack:list')).toBe(0);
    expect(runner.out).toEqual([
      'No credit packs yet (the platform admin creates them: admin.packs.create).',
    ]);
    const { payments } = storage.stores;
    const pack = await payments.createCreditPack({
      fields: { name: 'Starter', credits: 50_000, priceMinor: 500, currency: 'usd' },
      actorUserId: null,
      now: new Date(),
    });
    // A zero-decimal currency is printed in its own units: ¥980, not 9.80.
    await payments.createCreditPack({
      fields: { name: 'Yen pack', credits: 10_000, priceMinor: 980, currency: 'jpy' },
      actorUserId: null,
      now: new Date(),
    });
    expect(await cli('pack:list')).toBe(0);
    expect(runner.out.join('\n')).toMatch(/Yen pack\s+10000\s+980 JPY/);
    expect(runner.out.join('\n')).toMatch(/Starter\s+50000\s+5\.00 USD/);
    expect(await cli('pack:link', pack.id, 'price_1Starter', '--json')).toBe(0);
    expect(json()).toEqual({ id: pack.id, stripePriceId: 'price_1Starter' });
    expect(await cli('pack:list', '--json')).toBe(0);
    expect(json()).toContainEqual({
      id: pack.id,
      name: 'Starter',
      credits: 50_000,
      priceMinor: 500,
      currency: 'usd',
      stripePriceId: 'price_1Starter',
      active: true,
    });
    // A price sells one thing: the plans cannot take the pack's.
    expect(await cli('plan:link', 'pro-monthly', 'price_1Starter', '--json')).toBe(1);
    expect(json().error.code).toBe('CONFLICT');
    expect(await cli('pack:link', pack.id, 'nope', '--json')).toBe(1);
    expect(json().error.code).toBe('VALIDATION');
    expect(await cli('pack:link', 'no-such-pack', 'price_1X', '--json')).toBe(1);
    expect(json().error.code).toBe('NOT_FOUND');
    expect(await audited('credit_pack.updated')).toEqual([
      [
        `cli:${userInfo().username}`,
        { from: { stripePriceId: null }, to: { stripePriceId: 'price_1Starter' } },
      ],
    ]);
  });
});
