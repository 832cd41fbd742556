import type { Locale, TranslateFn } from '../i18n/translate.ts';
import { formatPlanPrice } from './plans.ts';

/**
 * Member-gated procedures refuse with one of these codes and say, in `error.data.details`, what
 * is missing and which marks (and the plans selling them) would unlock it.
 */
export const DENIAL_CODES = [
  'MARK_REQUIRED',
  'FEATURE_NOT_IN_PLAN',
  'MODEL_NOT_IN_PLAN',
  'PLAN_REQUIRED',
] as const;
export type DenialCode = (typeof DENIAL_CODES)[number];

export interface UnlockPlan {
  id: string;
  name: string;
  priceMinor: number;
  currency: string;
  interval: string;
  trialDays: number;
}

export interface Unlock {
  markKey: string;
  markName: string;
  plans: UnlockPlan[];
}

export type Missing =
  | { kind: 'marks'; marks: string[] }
  | { kind: 'model'; model: string }
  | { kind: 'feature'; feature: string }
  | { kind: 'apiAccess' };

export interface Denial {
  code: DenialCode;
  missing: Missing | null;
  unlock: Unlock[];
}

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

function readMissing(value: unknown): Missing | null {
  if (!isRecord(value)) return null;
  if (value.kind === 'marks' && Array.isArray(value.marks)) {
    return { kind: 'marks', marks: value.marks.filter((m): m is string => typeof m === 'string') };
  }
  if (value.kind === 'model' && str(value.model))
    return { kind: 'model', model: String(value.model) };
  if (value.kind === 'feature' && str(value.feature)) {
    return { kind: 'feature', feature: String(value.feature) };
  }
  if (value.kind === 'apiAccess') return { kind: 'apiAccess' };
  return null;
}

function readPlan(value: unknown): UnlockPlan | null {
  if (!isRecord(value) || !str(value.id) || !str(value.name)) return null;
  return {
    id: String(value.id),
    name: String(value.name),
    priceMinor: num(value.priceMinor),
    currency: str(value.currency) ?? 'usd',
    interval: str(value.interval) ?? 'once',
    trialDays: num(value.trialDays),
  };
}

function readUnlock(value: unknown): Unlock | null {
  if (!isRecord(value) || !str(value.markKey)) return null;
  const plans = Array.isArray(value.plans) ? value.plans.map(readPlan) : [];
  return {
    markKey: String(value.markKey),
    markName: str(value.markName) ?? String(value.markKey),
    plans: plans.filter((plan): plan is UnlockPlan => plan !== null),
  };
}

/** The denial carried by a tRPC error, or null when the error is anything else. */
export function toDenial(error: unknown): Denial | null {
  const data = isRecord(error) && isRecord(error.data) ? error.data : null;
  const code = data ? str(data.domainCode) : null;
  if (!data || !code || !(DENIAL_CODES as readonly string[]).includes(code)) return null;
  const details = isRecord(data.details) ? data.details : {};
  const unlock = Array.isArray(details.unlock) ? details.unlock.map(readUnlock) : [];
  return {
    code: code as DenialCode,
    missing: readMissing(details.missing),
    unlock: unlock.filter((u): u is Unlock => u !== null),
  };
}

/** "Pro monthly $20/mo, 7-day trial". */
export function unlockPlanText(plan: UnlockPlan, t: TranslateFn, locale: Locale): string {
  const price = `${plan.name} ${formatPlanPrice(plan, t, locale)}`;
  return plan.trialDays > 0
    ? t('unlock.planWithTrial', { plan: price, days: plan.trialDays })
    : price;
}

/** "Needs Pro — Pro monthly $20/mo, 7-day trial · Pro yearly $200/yr". */
export function unlockText(unlock: Unlock, t: TranslateFn, locale: Locale): string {
  if (unlock.plans.length === 0) return t('unlock.needsAskAdmin', { mark: unlock.markName });
  const plans = unlock.plans.map((plan) => unlockPlanText(plan, t, locale)).join(' · ');
  return t('unlock.needs', { mark: unlock.markName, plans });
}

/** What was refused, in one sentence. */
export function denialHeadline(denial: Denial, t: TranslateFn): string {
  const missing = denial.missing;
  if (missing?.kind === 'model') return t('unlock.headlineModel', { model: missing.model });
  if (missing?.kind === 'feature') return t('unlock.headlineFeature', { feature: missing.feature });
  if (missing?.kind === 'apiAccess') return t('unlock.headlineApi');
  return t('unlock.headlineMark');
}
