import { describe, expect, it } from 'vitest';
import {
  adjustedBalance,
  adjustmentPreview,
  describeLedgerEntry,
  everyText,
  formatCreditDelta,
  formatCredits,
  groupDigits,
  ledgerMarks,
  ledgerSummary,
  newIdempotencyKey,
  refillTitle,
  ungroupDigits,
} from '../src/lib/credits.ts';
import { tEn, tZh } from './helpers.ts';

const MARKS = ledgerMarks([
  { key: 'free', name: 'Free', refill: { every: { value: 1, unit: 'day' } } },
  { key: 'pro', name: 'Pro', refill: { every: { value: 2, unit: 'week' } } },
  { key: 'acme:writer', name: 'Acme Writer', refill: null },
]);

const entry = (
  kind: 'refill' | 'adjust' | 'set' | 'charge' | 'purchase',
  delta: number,
  reference: string | null,
) => ({
  kind,
  delta,
  reference,
});

describe('credit formatting', () => {
  it('groups whole credits by locale', () => {
    expect(formatCredits(12_500, 'en')).toBe('12,500');
    expect(formatCredits(0, 'en')).toBe('0');
    expect(formatCredits(1_000_000, 'zh-CN')).toBe('1,000,000');
  });

  it('signs changes with a plus or a real minus sign', () => {
    expect(formatCreditDelta(10_000, 'en')).toBe('+10,000');
    expect(formatCreditDelta(-15, 'en')).toBe('\u221215');
    expect(formatCreditDelta(-2500, 'zh-CN')).toBe('\u22122,500');
    expect(formatCreditDelta(0, 'en')).toBe('0');
  });

  it('groups digits in inputs and reads them back', () => {
    expect(groupDigits(2_000_000)).toBe('2,000,000');
    expect(groupDigits('-2500')).toBe('-2,500');
    expect(groupDigits(999)).toBe('999');
    expect(groupDigits(undefined)).toBe('');
    expect(ungroupDigits('2,000,000')).toBe('2000000');
    expect(ungroupDigits('-1,000 credits')).toBe('-1000');
    expect(ungroupDigits(undefined)).toBe('');
  });
});

describe('ledger entries in words', () => {
  const en = (e: ReturnType<typeof entry>, showReason = false) =>
    ledgerSummary(describeLedgerEntry(e, tEn, 'en', { marks: MARKS, showReason }));

  it('names refills by their period and mark', () => {
    expect(
      describeLedgerEntry(entry('refill', 10_000, 'free'), tEn, 'en', { marks: MARKS }),
    ).toEqual({
      title: 'Daily refill',
      detail: 'Free',
      amount: '+10,000',
      tone: 'credit',
    });
    expect(en(entry('refill', 500, 'pro'))).toBe('Refill every 2 weeks +500 (Pro)');
    // A mark without a known policy, or one the reader does not know at all.
    expect(en(entry('refill', 5, 'acme:writer'))).toBe('Credit refill +5 (Acme Writer)');
    expect(en(entry('refill', 5, 'gone'))).toBe('Credit refill +5 (gone)');
    // A reset that found the balance already at the amount changes nothing.
    expect(describeLedgerEntry(entry('refill', 0, 'free'), tEn, 'en').tone).toBe('neutral');
  });

  it('shows charges with their model', () => {
    const line = describeLedgerEntry(entry('charge', -15, 'tessera-mini'), tEn, 'en');
    expect(ledgerSummary(line)).toBe('Chat charge \u221215 (tessera-mini)');
    expect(line.tone).toBe('debit');
  });

  it('keeps the admin’s reason for admins only', () => {
    expect(en(entry('adjust', 2500, 'Ticket #42'))).toBe('Admin adjustment +2,500');
    expect(en(entry('adjust', 2500, 'Ticket #42'), true)).toBe(
      'Admin adjustment +2,500 (Ticket #42)',
    );
    expect(en(entry('set', -300, 'Reset'), true)).toBe('Balance set by an admin \u2212300 (Reset)');
    expect(en(entry('purchase', 1000, null))).toBe('Purchase +1,000');
  });

  it('speaks Chinese', () => {
    const line = describeLedgerEntry(entry('refill', 10_000, 'free'), tZh, 'zh-CN', {
      marks: MARKS,
    });
    expect(ledgerSummary(line)).toBe('每日补充 +10,000 (Free)');
    expect(describeLedgerEntry(entry('charge', -15, 'm'), tZh, 'zh-CN').title).toBe('对话扣费');
  });

  it('names periods', () => {
    expect(refillTitle({ value: 1, unit: 'month' }, tEn)).toBe('Monthly refill');
    expect(refillTitle({ value: 3, unit: 'hour' }, tZh)).toBe('每 3 小时补充');
    expect(everyText({ value: 1, unit: 'day' }, tEn)).toBe('every day');
    expect(everyText({ value: 2, unit: 'month' }, tZh)).toBe('每 2 个月');
  });
});

describe('admin adjustments', () => {
  it('previews the balance after adding or setting', () => {
    expect(adjustedBalance('add', 2500, 10_000)).toBe(12_500);
    expect(adjustedBalance('add', -500, 10_000)).toBe(9500);
    expect(adjustedBalance('set', 42, 10_000)).toBe(42);
    expect(adjustedBalance('add', null, 10_000)).toBeNull();
    expect(adjustedBalance('set', undefined, 10_000)).toBeNull();
  });

  it("previews an adjustment by the server's rule: available = balance − open reservations ≥ 0", () => {
    // 800 of a 1,000 balance is held by running requests: the server refuses a deduction of 300
    // (700 < 800) and a set to 500, and accepts a deduction of exactly 200.
    const account = { balance: 1000, reserved: 800 };
    expect(adjustmentPreview('add', -300, account)).toEqual({
      balance: 700,
      available: -100,
      allowed: false,
    });
    expect(adjustmentPreview('set', 500, account)).toMatchObject({ allowed: false });
    expect(adjustmentPreview('add', -200, account)).toEqual({
      balance: 800,
      available: 0,
      allowed: true,
    });
    expect(adjustmentPreview('set', 0, { balance: 50, reserved: 0 })).toMatchObject({
      allowed: true,
    });
    expect(adjustmentPreview('add', null, account)).toBeNull();
  });

  it('makes a fresh idempotency key each time', () => {
    const a = newIdempotencyKey();
    expect(a.length).toBeGreaterThanOrEqual(8);
    expect(newIdempotencyKey()).not.toBe(a);
  });
});
