// Credit packs defined by the platform admin: validated, audited, one Stripe price each, and only
// the platform admin's to see or change.
import { afterEach, describe, expect, it } from 'vitest';
import { demoIds, type EngineTestApi, openTestApi, signedUp } from './harness.ts';

let api: EngineTestApi;
afterEach(() => api.destroy());

async function adminAndMember() {
  api = await openTestApi({ seedDemo: true });
  const root = await signedUp(api, 'root@example.com');
  const member = await signedUp(api, 'member@example.com');
  return { admin: api.caller(root.browser), member: api.caller(member.browser) };
}

const small = { name: 'Small', credits: 100_000, priceMinor: 500, currency: 'USD' };

describe('credit packs', () => {
  it('are created, edited field by field and listed by the platform admin, each change audited', async () => {
    const { admin } = await adminAndMember();
    const pack = await admin.admin.packs.create({ fields: small });
    expect(pack).toMatchObject({ ...small, currency: 'usd', active: true, stripePriceId: null });

    const edited = await admin.admin.packs.update({
      packId: pack.id,
      fields: { priceMinor: 450, stripePriceId: 'price_1Small' },
    });
    expect(edited).toMatchObject({ credits: 100_000, priceMinor: 450, active: true });
    await admin.admin.packs.update({ packId: pack.id, fields: { active: false } });
    const big = await admin.admin.packs.create({
      fields: { name: 'Big', credits: 1_000_000, priceMinor: 4000, currency: 'usd' },
    });
    expect((await admin.admin.packs.list()).map((p) => [p.id, p.active])).toEqual([
      [pack.id, false],
      [big.id, true],
    ]);

    const audit = await api.sql<{ action: string; data: string }>(
      "select action, cast(data as text) as data from audit_events where subject_type = 'credit_pack' and subject_id = $1 order by id",
      [pack.id],
    );
    expect(audit.map((a) => [a.action, JSON.parse(a.data)])).toEqual([
      ['credit_pack.created', { ...small, currency: 'usd', stripePriceId: null, active: true }],
      [
        'credit_pack.updated',
        {
          from: { priceMinor: 500, stripePriceId: null },
          to: { priceMinor: 450, stripePriceId: 'price_1Small' },
        },
      ],
      ['credit_pack.updated', { from: { active: true }, to: { active: false } }],
    ]);
  });

  it('refuses bad fields, a price that already sells something, and anyone but a platform admin', async () => {
    const { admin, member } = await adminAndMember();
    for (const fields of [
      { ...small, credits: 0 },
      { ...small, credits: 1.5 },
      { ...small, priceMinor: -1 },
      { ...small, currency: 'dollars' },
      { ...small, stripePriceId: 'prod_123' },
      { ...small, name: ' ' },
    ]) {
      await expect(admin.admin.packs.create({ fields })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
    }
    const pack = await admin.admin.packs.create({
      fields: { ...small, stripePriceId: 'price_1Pack' },
    });
    await admin.admin.plans.update({
      planId: (await demoIds(api)).plans['Pro monthly']!,
      fields: { stripePriceId: 'price_1Plan' },
    });
    await expect(
      admin.admin.packs.create({ fields: { ...small, stripePriceId: 'price_1Plan' } }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      admin.admin.plans.update({
        planId: (await demoIds(api)).plans['Pro yearly']!,
        fields: { stripePriceId: 'price_1Pack' },
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      admin.admin.packs.update({ packId: 'no-such-pack', fields: { credits: 5 } }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await expect(member.admin.packs.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(member.admin.packs.create({ fields: small })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      member.admin.packs.update({ packId: pack.id, fields: { priceMinor: 0 } }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await admin.admin.packs.list()).map((p) => p.priceMinor)).toEqual([500]);
  });
});
