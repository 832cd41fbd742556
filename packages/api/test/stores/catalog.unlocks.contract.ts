// What unlocks a denial, read through the catalog store (member/find-unlocks.ts `findUnlocksIn`,
// used by the member gate and chat's lists): the same answer on every engine, from the viewer's
// catalog, naming a required mark no plan sells.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findUnlocksIn, unlockFinder } from '../../src/member/find-unlocks.ts';
import { addUser, NOW } from './catalog.contract.ts';
import type { EngineUnderTest, OpenEngine } from './engine.ts';

export function catalogUnlocksContract(openEngine: OpenEngine) {
  let engine: EngineUnderTest;
  beforeEach(async () => {
    engine = await openEngine();
    await engine.stores.catalog.seedDemo(NOW);
    await addUser(engine, 'viewer');
  });
  afterEach(() => engine.close());

  describe('findUnlocksIn', () => {
    it('names the marks and plans granting a model, a feature or more requests', async () => {
      const { catalog } = engine.stores;
      const show = async (missing: Parameters<typeof findUnlocksIn>[1]) =>
        (await findUnlocksIn(catalog, missing, 'viewer')).map((u) => [
          u.markKey,
          u.plans.map((p) => p.name),
        ]);
      expect(await show({ kind: 'model', model: 'tessera-plus' })).toMatchInlineSnapshot(`
        [
          [
            "pro",
            [
              "Pro monthly",
              "Pro yearly",
            ],
          ],
          [
            "enterprise",
            [
              "Enterprise",
            ],
          ],
          [
            "acme:writer",
            [
              "Acme Writer",
            ],
          ],
        ]
      `);
      expect(await show({ kind: 'feature', feature: 'seo-analysis' })).toMatchInlineSnapshot(`
        [
          [
            "enterprise",
            [
              "Enterprise",
            ],
          ],
          [
            "acme:writer",
            [
              "Acme Writer",
            ],
          ],
        ]
      `);
      expect(await show({ kind: 'quota', window: 'day', limit: 20 })).toMatchInlineSnapshot(`
        [
          [
            "pro",
            [
              "Pro monthly",
              "Pro yearly",
            ],
          ],
          [
            "enterprise",
            [
              "Enterprise",
            ],
          ],
          [
            "acme:writer",
            [
              "Acme Writer",
            ],
          ],
        ]
      `);
      expect(await show({ kind: 'model', model: 'no-such-model' })).toEqual([]);
    });

    it('names a required mark no plan sells, and leaves out an unknown one', async () => {
      await engine.sql(
        `insert into marks (id, tenant_id, slug, key, name, entitlements, created_at, updated_at)
         values ('vip', 'platform', 'vip', 'vip', 'VIP', '{}', $1, $1)`,
        [NOW],
      );
      const unlock = await findUnlocksIn(
        engine.stores.catalog,
        { kind: 'marks', marks: ['pro', 'vip', 'nope'] },
        'viewer',
      );
      expect(unlock.map((u) => [u.markKey, u.markName, u.plans.length])).toMatchInlineSnapshot(`
        [
          [
            "pro",
            "Pro",
            2,
          ],
          [
            "vip",
            "VIP",
            0,
          ],
        ]
      `);
    });

    it("offers no trial the viewer already took; one finder reads the viewer's catalog once", async () => {
      const { catalog } = engine.stores;
      const pro = (await catalog.listCatalog()).find((p) => p.key === 'pro-monthly')!;
      await engine.sql(
        `insert into trial_redemptions (user_id, tenant_id, mark_id, plan_id, created_at)
         values ('viewer', 'platform', $1, $2, $3)`,
        [pro.markId, pro.id, NOW],
      );
      let reads = 0;
      const counting = {
        listCatalog: (options?: Parameters<typeof catalog.listCatalog>[0]) => {
          reads++;
          return catalog.listCatalog(options);
        },
        getMarkByKey: (key: string) => catalog.getMarkByKey(key),
      };
      const unlocks = unlockFinder(counting, 'viewer');
      const [byModel, byMark] = await Promise.all([
        unlocks({ kind: 'model', model: 'tessera-plus' }),
        unlocks({ kind: 'marks', marks: ['pro'] }),
      ]);
      expect(reads).toBe(1);
      const trial = (u: typeof byMark) =>
        u.flatMap((m) => m.plans).find((p) => p.id === pro.id)?.trialDays;
      expect(trial(byMark)).toBe(0);
      expect(trial(byModel)).toBe(0);
      // Another member still sees the trial.
      const fresh = await findUnlocksIn(catalog, { kind: 'marks', marks: ['pro'] }, 'other');
      expect(fresh[0]?.plans.map((p) => [p.name, p.priceMinor, p.interval, p.trialDays])).toEqual([
        ['Pro monthly', 2000, 'month', 7],
        ['Pro yearly', 20000, 'year', 0],
      ]);
    });
  });
}
