import { describe, expect, it } from 'vitest';
import { resolveServerField } from '../src/components/forms/useServerErrors.ts';
import {
  CEILING_SERVER_FIELDS,
  ENTITLEMENT_SERVER_FIELDS,
  entitlementsFromForm,
  markKeyPrefix,
  NO_ENTITLEMENTS,
} from '../src/lib/entitlementForm.ts';
import { refillToForm } from '../src/lib/refillPolicy.ts';

describe('the entitlements form shared by marks and ceilings', () => {
  it('puts a mark’s ceiling refusal on the models picker', () => {
    expect(resolveServerField('entitlements.models', ENTITLEMENT_SERVER_FIELDS)).toEqual([
      'entitlements',
      'models',
    ]);
    expect(resolveServerField('entitlements.refill.amount', ENTITLEMENT_SERVER_FIELDS)).toEqual([
      'refill',
      'amount',
    ]);
  });

  it('puts setCeiling’s errors (ceiling.*) on the same fields, and the trial on its own', () => {
    expect(resolveServerField('ceiling.models', CEILING_SERVER_FIELDS)).toEqual([
      'entitlements',
      'models',
    ]);
    expect(resolveServerField('ceiling.plugins.1', CEILING_SERVER_FIELDS)).toEqual([
      'entitlements',
      'plugins',
    ]);
    expect(resolveServerField('ceiling.trialDays', CEILING_SERVER_FIELDS)).toBe('trialDays');
    expect(resolveServerField('entitlements.models', CEILING_SERVER_FIELDS)).toBeNull();
  });

  it('sends an empty fallback as none and no refill when the policy is off', () => {
    const out = entitlementsFromForm(
      { ...NO_ENTITLEMENTS, models: ['tessera-mini'], fallbackModel: '  ' },
      refillToForm(null),
    );
    expect(out).toMatchObject({ models: ['tessera-mini'], fallbackModel: null, refill: null });
  });

  it('reads the tenant part of a mark key, none for platform marks and new ones', () => {
    expect(markKeyPrefix({ key: 'acme:writer', slug: 'writer' })).toBe('acme:');
    expect(markKeyPrefix({ key: 'pro', slug: 'pro' })).toBe('');
    expect(markKeyPrefix(null)).toBe('');
  });
});
