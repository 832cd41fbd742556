import type { Locale, TranslateFn } from '../i18n/translate.ts';
import { newRandomId } from './ids.ts';
import type { LedgerEntry, RefillPolicy } from './trpc.ts';

/** Credits are whole numbers; shown with the locale's grouping ("12,500"). */
export function formatCredits(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

const MINUS = '\u2212';
const GROUPS = /\B(?=(\d{3})+(?!\d))/g;

/** For number inputs: "2000000" shown as "2,000,000" (the form still holds the number). */
export function groupDigits(value: string | number | undefined): string {
  if (value === undefined || value === '') return '';
  const [whole = '', fraction] = String(value).split('.');
  const grouped = whole.replace(GROUPS, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** What was typed, without grouping: "2,000,000" → "2000000" (a leading minus stays). */
export function ungroupDigits(text: string | undefined): string {
  return (text ?? '').replace(/[^\d.-]/g, '');
}

/** A ledger change with its sign: "+10,000", "−15" (a real minus sign), "0". */
export function formatCreditDelta(delta: number, locale: Locale): string {
  if (delta === 0) return formatCredits(0, locale);
  return `${delta > 0 ? '+' : MINUS}${formatCredits(Math.abs(delta), locale)}`;
}

export type RefillEvery = RefillPolicy['every'];

/** "Daily refill", "Refill every 2 weeks". */
export function refillTitle(every: RefillEvery, t: TranslateFn): string {
  const count = every.value;
  if (count === 1) {
    if (every.unit === 'hour') return t('ledger.refill.hour');
    if (every.unit === 'day') return t('ledger.refill.day');
    if (every.unit === 'week') return t('ledger.refill.week');
    return t('ledger.refill.month');
  }
  if (every.unit === 'hour') return t('ledger.refillEvery.hour', { count });
  if (every.unit === 'day') return t('ledger.refillEvery.day', { count });
  if (every.unit === 'week') return t('ledger.refillEvery.week', { count });
  return t('ledger.refillEvery.month', { count });
}

/** "every day", "every 2 weeks": the period of a refill policy, for sentences. */
export function everyText(every: RefillEvery, t: TranslateFn): string {
  const count = every.value;
  if (count === 1) {
    if (every.unit === 'hour') return t('every.hour');
    if (every.unit === 'day') return t('every.day');
    if (every.unit === 'week') return t('every.week');
    return t('every.month');
  }
  if (every.unit === 'hour') return t('every.hours', { count });
  if (every.unit === 'day') return t('every.days', { count });
  if (every.unit === 'week') return t('every.weeks', { count });
  return t('every.months', { count });
}

/** What the ledger knows about a mark that refilled (its `reference` is the mark key). */
export interface LedgerMark {
  name: string;
  every: RefillEvery | null;
}

export type LedgerTone = 'credit' | 'debit' | 'neutral';

export interface LedgerLine {
  title: string;
  /** The mark, model or (for admins) the reason; null when there is nothing to add. */
  detail: string | null;
  /** Signed and grouped: "+2,500", "−15". */
  amount: string;
  tone: LedgerTone;
}

export interface DescribeLedgerOptions {
  /** Mark key → name and refill period, to say "Daily refill · Free". */
  marks?: ReadonlyMap<string, LedgerMark>;
  /** Admin views show the reason typed with an adjustment; members see only that it happened. */
  showReason?: boolean;
}

type EntryFields = Pick<LedgerEntry, 'kind' | 'delta' | 'reference'>;

/** One ledger row in words: "Daily refill +10,000", "Chat charge −15 (tessera-mini)". */
export function describeLedgerEntry(
  entry: EntryFields,
  t: TranslateFn,
  locale: Locale,
  options: DescribeLedgerOptions = {},
): LedgerLine {
  const amount = formatCreditDelta(entry.delta, locale);
  const tone: LedgerTone = entry.delta > 0 ? 'credit' : entry.delta < 0 ? 'debit' : 'neutral';
  const reference = entry.reference?.trim() || null;
  const line = (title: string, detail: string | null): LedgerLine => ({
    title,
    detail,
    amount,
    tone,
  });
  switch (entry.kind) {
    case 'refill': {
      const mark = reference ? options.marks?.get(reference) : undefined;
      const title = mark?.every ? refillTitle(mark.every, t) : t('ledger.refill');
      return line(title, mark?.name ?? reference);
    }
    case 'adjust':
      return line(t('ledger.adjust'), options.showReason ? reference : null);
    case 'set':
      return line(t('ledger.set'), options.showReason ? reference : null);
    case 'charge':
      return line(t('ledger.charge'), reference);
    case 'purchase':
      return line(t('ledger.purchase'), reference);
    case 'refund':
      return line(t('ledger.refund'), reference);
    case 'lapse': {
      const mark = reference ? options.marks?.get(reference) : undefined;
      return line(t('ledger.lapse'), mark?.name ?? reference);
    }
    default:
      return line(String(entry.kind), reference);
  }
}

/** The whole row on one line, for titles and tests: "Chat charge −15 (tessera-mini)". */
export function ledgerSummary(line: LedgerLine): string {
  const main = `${line.title} ${line.amount}`;
  return line.detail ? `${main} (${line.detail})` : main;
}

/** Marks by key, with their refill period, from anything that lists marks and entitlements. */
export function ledgerMarks(
  rows: ReadonlyArray<{
    key: string;
    name: string;
    refill: Pick<RefillPolicy, 'every'> | null;
  }>,
): Map<string, LedgerMark> {
  return new Map(
    rows.map((row) => [row.key, { name: row.name, every: row.refill?.every ?? null }]),
  );
}

/**
 * The balance an admin adjustment would leave: `add` adds (or deducts), `set` makes the pot being
 * adjusted (`potAmount`, the whole balance when there is one pot) exactly the amount.
 */
export function adjustedBalance(
  mode: 'add' | 'set',
  amount: number | null | undefined,
  balance: number,
  potAmount: number = balance,
): number | null {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return null;
  return mode === 'set' ? balance - potAmount + amount : balance + amount;
}

/**
 * What an admin adjustment of one pot would leave, by the server's own rule (move-credits.ts):
 * the balance may not go below what running requests hold (available after = balance after −
 * reserved ≥ 0), nor the pot below zero. `allowed: false` is exactly when the server would refuse
 * (BELOW_RESERVED or BELOW_ZERO).
 */
export function adjustmentPreview(
  mode: 'add' | 'set',
  amount: number | null | undefined,
  account: { balance: number; reserved: number; purchased?: number },
  pot: 'allowance' | 'purchased' = 'allowance',
): { balance: number; available: number; allowed: boolean } | null {
  const purchased = account.purchased ?? 0;
  const potAmount = pot === 'purchased' ? purchased : account.balance - purchased;
  const balance = adjustedBalance(mode, amount, account.balance, potAmount);
  if (balance === null) return null;
  const available = balance - account.reserved;
  const potAfter = potAmount + (balance - account.balance);
  return { balance, available, allowed: available >= 0 && potAfter >= 0 };
}

/** A key for one admin adjustment, so a double click or a retry applies it once. */
export const newIdempotencyKey = newRandomId;
