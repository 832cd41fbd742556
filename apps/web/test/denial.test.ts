import { describe, expect, it } from 'vitest';
import { denialHeadline, toDenial, unlockPlanText, unlockText } from '../src/lib/denial.ts';
import { denialError, PRO_UNLOCK, tEn, tZh } from './helpers.ts';

describe('toDenial', () => {
  it('reads the code, what is missing and what unlocks it', () => {
    const denial = toDenial(
      denialError('MARK_REQUIRED', {
        missing: { kind: 'marks', marks: ['pro'] },
        unlock: [PRO_UNLOCK],
      }),
    );
    expect(denial).toEqual({
      code: 'MARK_REQUIRED',
      missing: { kind: 'marks', marks: ['pro'] },
      unlock: [PRO_UNLOCK],
    });
  });

  it('ignores other errors and tolerates malformed details', () => {
    expect(toDenial(denialError('FORBIDDEN', null))).toBeNull();
    expect(toDenial(new Error('offline'))).toBeNull();
    expect(toDenial(undefined)).toBeNull();
    const loose = toDenial(
      denialError('FEATURE_NOT_IN_PLAN', {
        missing: { kind: 'feature' },
        unlock: [{ markKey: 'pro', plans: [{ id: 'x' }, 'junk'] }, 42],
      }),
    );
    expect(loose).toEqual({
      code: 'FEATURE_NOT_IN_PLAN',
      missing: null,
      unlock: [{ markKey: 'pro', markName: 'pro', plans: [] }],
    });
  });
});

describe('unlock text', () => {
  it('names the mark, its plans with price and trial', () => {
    expect(unlockText(PRO_UNLOCK, tEn, 'en')).toBe(
      'Needs Pro — Pro monthly $20/mo, 7-day trial · Pro yearly $200/yr',
    );
    expect(unlockText(PRO_UNLOCK, tZh, 'zh-CN')).toBe(
      '需要 Pro — Pro monthly US$20/月，可试用 7 天 · Pro yearly US$200/年',
    );
  });

  it('describes one plan on its own', () => {
    const [monthly] = PRO_UNLOCK.plans;
    expect(monthly && unlockPlanText(monthly, tEn, 'en')).toBe('Pro monthly $20/mo, 7-day trial');
  });

  it('says to ask an admin when no plan sells the mark', () => {
    expect(unlockText({ markKey: 'beta', markName: 'Beta', plans: [] }, tEn, 'en')).toBe(
      'Needs Beta — ask an admin to grant it',
    );
  });

  it('heads the prompt with what was refused', () => {
    const base = { code: 'MODEL_NOT_IN_PLAN' as const, unlock: [] };
    expect(
      denialHeadline({ ...base, missing: { kind: 'model', model: 'tessera-ultra' } }, tEn),
    ).toBe('Your plan does not include the model tessera-ultra.');
    expect(denialHeadline({ ...base, missing: { kind: 'feature', feature: 'seo' } }, tEn)).toBe(
      'Your plan does not include seo.',
    );
    expect(denialHeadline({ ...base, missing: { kind: 'apiAccess' } }, tEn)).toBe(
      'API access needs a plan that includes it.',
    );
    expect(denialHeadline({ ...base, missing: null }, tEn)).toBe(
      'This needs a membership you do not hold yet.',
    );
  });
});
