// The per-process catalog cache (decision 031), on either engine: an edit committed outside the
// store's own methods (a manual SQL fix, another instance's connection) is served on the very next
// request, the answer carries exactly the declared fields, and the cached rows are frozen. Another
// process writing the same SQLite file, and a rolled-back SQLite transaction, are in
// catalog.cache-sqlite-file.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catalogPlanOutput } from '../src/routers/membership.ts';
import { entitlementsOutput } from '../src/routers/schemas.ts';
import { type EngineTestApi, openTestApi, signedUp } from './harness.ts';

describe('the catalog cache', () => {
  let api: EngineTestApi;
  beforeEach(async () => {
    api = await openTestApi({ seedDemo: true });
  });
  afterEach(() => api.destroy());

  it('serves an edit committed outside the store on the very next request', async () => {
    const { browser } = await signedUp(api, 'viewer@example.test');
    const member = api.caller(browser);
    const before = await member.membership.catalog();
    const platformPlan = before.find((p) => p.tenantKind === 'platform')!;
    const vendorPlan = before.find((p) => p.tenantKind === 'vendor')!;
    // Asked twice, so the second answer came from the cache the edits below must invalidate.
    expect(await member.membership.catalog()).toEqual(before);

    await api.sql('update plans set name = $1 where id = $2', ['Renamed by hand', platformPlan.id]);
    expect((await member.membership.catalog()).find((p) => p.id === platformPlan.id)?.name).toBe(
      'Renamed by hand',
    );

    await api.sql('update marks set name = $1 where id = $2', [
      'Mark renamed',
      platformPlan.markId,
    ]);
    expect(
      (await member.membership.catalog()).find((p) => p.id === platformPlan.id)?.markName,
    ).toBe('Mark renamed');

    // The vendor suspended (tenants): its plans leave the member's catalog at once.
    await api.sql('update tenants set suspended_at = $1 where id = $2', [
      api.clock.now,
      vendorPlan.tenantId,
    ]);
    const afterSuspension = await member.membership.catalog();
    expect(afterSuspension.some((p) => p.tenantId === vendorPlan.tenantId)).toBe(false);
    expect(afterSuspension.length).toBeGreaterThan(0);

    await api.sql('update plans set active = false where id = $1', [platformPlan.id]);
    expect((await member.membership.catalog()).some((p) => p.id === platformPlan.id)).toBe(false);
  });

  it('answers exactly the declared fields (built by hand, not checked by .output())', async () => {
    const { browser } = await signedUp(api, 'shape@example.test');
    const answer = await api.caller(browser).membership.catalog();
    expect(answer.length).toBeGreaterThan(0);
    // Strict at both levels: a field the schema does not name (suspendedAt, a raw ceiling) fails.
    const strict = z.array(
      catalogPlanOutput.extend({ entitlements: entitlementsOutput.strict() }).strict(),
    );
    expect(strict.parse(answer)).toEqual(answer);
  });

  it('hands out rows no caller can change for the next one', async () => {
    const first = (await api.stores.catalog.listCatalog())[0]!;
    expect(() => {
      (first.entitlements.models as string[]).push('smuggled');
    }).toThrow(TypeError);
    first.name = 'changed by a caller';
    expect((await api.stores.catalog.listCatalog())[0]!.name).not.toBe('changed by a caller');
  });
});
