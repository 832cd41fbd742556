import { describe, expect, it } from 'vitest';
import {
  cutOffHeadline,
  reasonToDenial,
  refusalView,
  statusTag,
  storedEndReason,
} from '../src/lib/chatNotices.ts';
import type { StopReason } from '../src/lib/trpc.ts';
import { localeValue, PRO_UNLOCK, tEn, tZh } from './helpers.ts';

const en = localeValue('en');
const zh = localeValue('zh-CN');

/** Tomorrow at local midnight, as a quota reset would be. */
function tomorrow(): string {
  const date = new Date();
  date.setDate(date.getDate() + 1);
  date.setHours(0, 0, 0, 0);
  return date.toISOString();
}

const ENTERPRISE_UNLOCK = {
  markKey: 'enterprise',
  markName: 'Enterprise',
  plans: [
    {
      id: 'e',
      name: 'Enterprise',
      priceMinor: 9900,
      currency: 'usd',
      interval: 'month',
      trialDays: 0,
    },
  ],
};

const modelReason: StopReason & { missing: unknown } = {
  code: 'MODEL_NOT_IN_PLAN',
  message: 'Your plan does not include the model "tessera-plus".',
  missing: { kind: 'model', model: 'tessera-plus' },
  unlock: [PRO_UNLOCK, ENTERPRISE_UNLOCK],
};

describe('refusalView', () => {
  it('says when the daily quota comes back, and keeps the reset for a countdown', () => {
    const resetsAt = tomorrow();
    const reason: StopReason = {
      code: 'QUOTA_EXCEEDED',
      message: 'The daily request limit is reached.',
      details: { window: 'day', limit: 20, resetsAt },
    };
    const view = refusalView(reason, en.lookup, 'en');
    expect(view.kind).toBe('quota');
    expect(view.resetsAt).toBe(resetsAt);
    expect(view.text).toMatch(
      /^You have used all of today’s requests\. They come back \w{3} \d{1,2}, 12:00\sAM\.$/,
    );
    expect(refusalView(reason, zh.lookup, 'zh-CN').text).toMatch(
      /^今天的请求次数已用完，将于 \d{1,2}月\d{1,2}日 0:00 恢复。$/,
    );
  });

  it('says how many credits are missing', () => {
    const view = refusalView(
      {
        code: 'INSUFFICIENT_CREDITS',
        message: 'Not enough credits for this request.',
        details: { needed: 8230, available: 1200, monthlyCapReached: false },
      },
      en.lookup,
      'en',
    );
    expect(view).toEqual({
      kind: 'credits',
      text: 'This needs 8,230 credits, but only 1,200 are available.',
      resetsAt: null,
    });
  });

  it('says how long to wait when rate limited', () => {
    const view = refusalView(
      { code: 'RATE_LIMITED', message: 'Too many.', details: { retryAfterSeconds: 41.2 } },
      en.lookup,
      'en',
    );
    expect(view).toMatchObject({
      kind: 'rate',
      text: 'Too many requests. Try again in 42 seconds.',
    });
  });

  it('sends plan refusals to the upgrade prompt and names other codes', () => {
    expect(refusalView(modelReason, en.lookup, 'en').kind).toBe('upgrade');
    expect(
      refusalView({ code: 'MODEL_UNAVAILABLE', message: 'Gone.' }, zh.lookup, 'zh-CN'),
    ).toEqual({ kind: 'other', text: '该模型当前不可用。', resetsAt: null });
  });
});

describe('reasonToDenial', () => {
  it('keeps what unlocks the model and names it as the picker does', () => {
    const denial = reasonToDenial(modelReason, 'Tessera Plus');
    expect(denial?.code).toBe('MODEL_NOT_IN_PLAN');
    expect(denial?.missing).toEqual({ kind: 'model', model: 'Tessera Plus' });
    expect(denial?.unlock.map((u) => u.markKey)).toEqual(['pro', 'enterprise']);
  });

  it('is null for refusals that are not about the plan', () => {
    expect(reasonToDenial({ code: 'RATE_LIMITED', message: 'Slow down.' }, 'x')).toBeNull();
  });
});

describe('cutOffHeadline', () => {
  const args = (held: string[], t = tEn, value = en) =>
    cutOffHeadline(modelReason, held, 'Tessera Plus', t, value.lookup, value.locale);

  it('names the membership that ended when the member held it at the start', () => {
    expect(args(['free', 'pro'])).toBe(
      'Your Pro membership ended while this answer was being written.',
    );
    expect(args(['free', 'enterprise'], tZh, zh)).toBe(
      '在生成这条回答时，你的Enterprise会员已结束。',
    );
  });

  it('otherwise says the plan stopped including the model', () => {
    expect(args(['free'])).toBe(
      'Your plan stopped including Tessera Plus while this answer was being written.',
    );
  });

  it('gives other reasons in the reason’s own words', () => {
    const credits: StopReason = { code: 'INSUFFICIENT_CREDITS', message: 'No credits.' };
    expect(cutOffHeadline(credits, [], 'Tessera Mini', tEn, en.lookup, 'en')).toBe(
      'This answer was stopped: You do not have enough credits for this.',
    );
  });
});

describe('stored answers', () => {
  it('tags answers that did not complete', () => {
    expect(statusTag('cut_off')).toBe('cut_off');
    expect(statusTag('aborted')).toBe('aborted');
    expect(statusTag('error')).toBe('error');
    expect(statusTag('complete')).toBeNull();
    expect(statusTag(null)).toBeNull();
  });

  it('translates why a stored answer was cut off', () => {
    const reason = { code: 'MODEL_NOT_IN_PLAN', message: 'Your plan does not include "x".' };
    expect(storedEndReason(reason, en.lookup)).toBe('Your plan does not include this model.');
    expect(storedEndReason({ code: 'SOMETHING_NEW', message: 'Raw' }, en.lookup)).toBe('Raw');
    expect(storedEndReason({ error: 'boom' }, en.lookup)).toBeNull();
    expect(storedEndReason(null, en.lookup)).toBeNull();
  });
});
