import { describe, expect, it } from 'vitest';
import { everyText } from '../src/lib/credits.ts';
import {
  DEFAULT_REFILL_FORM,
  describePolicy,
  previewSentences,
  type RefillFormValues,
  refillFromForm,
  refillToForm,
} from '../src/lib/refillPolicy.ts';
import type { RefillPolicy } from '../src/lib/trpc.ts';
import { tEn, tZh } from './helpers.ts';

const PRO: RefillPolicy = {
  amount: 2_000_000,
  every: { value: 1, unit: 'month' },
  strategy: 'reset',
  mode: 'on_demand',
  grades: [{ minRequests7d: 200, amount: 3_000_000 }],
};
const form = (patch: Partial<RefillFormValues>): RefillFormValues => ({
  ...DEFAULT_REFILL_FORM,
  enabled: true,
  ...patch,
});

describe('refill policy form', () => {
  it('round-trips a policy', () => {
    expect(refillFromForm(refillToForm(PRO))).toEqual(PRO);
    const topup: RefillPolicy = { ...PRO, strategy: 'topup', cap: 4_000_000, mode: 'scheduled' };
    expect(refillFromForm(refillToForm(topup))).toEqual(topup);
  });

  it('is null when switched off, keeping the values for later', () => {
    const values = { ...refillToForm(PRO), enabled: false };
    expect(refillFromForm(values)).toBeNull();
    expect(refillFromForm({ ...values, enabled: true })).toEqual(PRO);
    expect(refillToForm(null)).toEqual({ ...DEFAULT_REFILL_FORM, grades: [] });
    expect(refillFromForm(undefined)).toBeNull();
  });

  it('sends a cap only with top-up', () => {
    expect(refillFromForm(form({ strategy: 'reset', cap: 500 }))?.cap).toBeUndefined();
    expect(refillFromForm(form({ strategy: 'topup', cap: null }))?.cap).toBeUndefined();
    expect(refillFromForm(form({ strategy: 'topup', cap: 5000 }))?.cap).toBe(5000);
  });

  it('is undefined while something required is blank or out of range', () => {
    expect(refillFromForm(form({ amount: null }))).toBeUndefined();
    expect(refillFromForm(form({ amount: 0 }))).toBeUndefined();
    expect(refillFromForm(form({ amount: 1.5 }))).toBeUndefined();
    expect(refillFromForm(form({ everyValue: 1001 }))).toBeUndefined();
    expect(refillFromForm(form({ strategy: 'topup', cap: -1 }))).toBeUndefined();
    expect(refillFromForm(form({ grades: [{ minRequests7d: 10, amount: null }] }))).toBeUndefined();
  });

  it('ignores grade rows left empty', () => {
    const policy = refillFromForm(
      form({
        grades: [
          { minRequests7d: null, amount: null },
          { minRequests7d: 5, amount: 9 },
        ],
      }),
    );
    expect(policy?.grades).toEqual([{ minRequests7d: 5, amount: 9 }]);
  });
});

describe('refill preview sentence', () => {
  const now = Date.parse('2026-11-22T12:00:00');
  const at = new Date('2026-12-01T00:00:00').toISOString();
  const preview = (patch: Partial<Parameters<typeof previewSentences>[0]> = {}) => ({
    holders: 1204,
    groups: [{ amount: 500, users: 1204 }],
    strategy: 'reset' as const,
    mode: 'scheduled' as const,
    nextRefillAt: at,
    ...patch,
  });

  it('says who gets how much and when', () => {
    expect(previewSentences(preview(), undefined, tEn, 'en', now)).toEqual([
      'This change gives 1,204 users 500 credits each on Dec 1.',
    ]);
  });

  it('has one line per amount group, with singular users', () => {
    const lines = previewSentences(
      preview({
        holders: 3,
        groups: [
          { amount: 3000, users: 1 },
          { amount: 500, users: 2 },
        ],
      }),
      undefined,
      tEn,
      'en',
      now,
    );
    expect(lines).toEqual([
      'This change gives 1 user 3,000 credits each on Dec 1.',
      'This change gives 2 users 500 credits each on Dec 1.',
    ]);
  });

  it('names the cap of a top-up and the timing of on-demand refills', () => {
    expect(previewSentences(preview({ strategy: 'topup' }), 2000, tEn, 'en', now)[0]).toBe(
      'This change gives 1,204 users up to 500 credits each on Dec 1, never above 2,000.',
    );
    expect(
      previewSentences(
        preview({ strategy: 'topup', mode: 'on_demand' }),
        undefined,
        tEn,
        'en',
        now,
      )[0],
    ).toBe(
      'This change gives 1,204 users up to 500 credits each from Dec 1, never above 500, at their next sign-in or request.',
    );
  });

  it('says when nobody holds the mark', () => {
    expect(
      previewSentences(preview({ holders: 0, groups: [] }), undefined, tEn, 'en', now),
    ).toEqual(['Nobody holds this mark right now. The next period starts Dec 1.']);
  });

  it('speaks Chinese', () => {
    expect(previewSentences(preview(), undefined, tZh, 'zh-CN', now)).toEqual([
      '此更改将在 12月1日 为 1,204 位用户各发放 500 积分。',
    ]);
  });

  it('describes a policy in a few words', () => {
    expect(describePolicy(PRO, everyText(PRO.every, tEn), tEn, 'en')).toBe(
      '2,000,000 every month · on demand',
    );
    const topup: RefillPolicy = { ...PRO, strategy: 'topup', cap: 5_000_000, mode: 'scheduled' };
    expect(describePolicy(topup, everyText(topup.every, tEn), tEn, 'en')).toBe(
      '+2,000,000 every month, up to 5,000,000',
    );
  });
});
