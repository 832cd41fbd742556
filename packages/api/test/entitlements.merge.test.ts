import { describe, expect, it } from 'vitest';
import {
  entitlementsSchema,
  mergeEntitlements,
  NO_ENTITLEMENTS,
  parseStoredEntitlements,
} from '../src/domain/entitlements/entitlements.ts';

const e = (input: Parameters<typeof entitlementsSchema.parse>[0]) =>
  entitlementsSchema.parse(input);

describe('merging entitlements', () => {
  it('takes the most generous number, with null (unlimited) beating every number', () => {
    const merged = mergeEntitlements([
      e({ requestsPerDay: 20, requestsPerMonth: 600, maxOutputTokens: 1024, requestsPerMinute: 5 }),
      e({ requestsPerDay: 500, requestsPerMonth: null, maxOutputTokens: 512 }),
    ]);
    expect(merged).toMatchObject({
      requestsPerDay: 500,
      requestsPerMonth: null,
      maxOutputTokens: 1024,
      requestsPerMinute: 5,
    });
  });

  it('unions lists and ors flags', () => {
    const merged = mergeEntitlements([
      e({ models: ['tessera-mini'], plugins: ['translate'], apiAccess: false, seats: 0 }),
      e({
        models: ['tessera-plus', 'tessera-mini'],
        plugins: ['seo-analysis'],
        apiAccess: true,
        seats: 25,
      }),
    ]);
    expect(merged).toMatchObject({
      models: ['tessera-mini', 'tessera-plus'],
      plugins: ['seo-analysis', 'translate'],
      apiAccess: true,
      seats: 25,
    });
  });

  it('grants nothing when nothing is held, and a mark that mentions nothing adds nothing', () => {
    expect(mergeEntitlements([])).toEqual(NO_ENTITLEMENTS);
    expect(NO_ENTITLEMENTS).toMatchObject({ models: [], requestsPerDay: 0, apiAccess: false });
    const free = e({ requestsPerDay: 20 });
    expect(mergeEntitlements([free, e({ plugins: ['x'] })]).requestsPerDay).toBe(20);
  });

  it('is order-independent', () => {
    const a = e({ requestsPerDay: 3, models: ['b'], fallbackModel: null });
    const b = e({ requestsPerDay: null, models: ['a'], apiAccess: true });
    expect(mergeEntitlements([a, b])).toEqual(mergeEntitlements([b, a]));
  });

  it('refuses misspelt or invalid entitlements instead of dropping them, and stored junk grants nothing', () => {
    expect(entitlementsSchema.safeParse({ requestPerDay: 5 }).success).toBe(false);
    expect(entitlementsSchema.safeParse({ requestsPerDay: -1 }).success).toBe(false);
    expect(entitlementsSchema.safeParse({ requestsPerDay: 1.5 }).success).toBe(false);
    expect(entitlementsSchema.safeParse({ models: ['Has Spaces'] }).success).toBe(false);
    expect(parseStoredEntitlements({ requestsPerDay: 'lots' })).toEqual(NO_ENTITLEMENTS);
  });
});
