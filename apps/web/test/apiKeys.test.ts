import { describe, expect, it } from 'vitest';
import {
  apiAccessDenial,
  apiAccessUnlocks,
  apiBaseUrl,
  keyHint,
  snippetModel,
  sortApiKeys,
  usageSnippet,
} from '../src/lib/apiKeys.ts';
import { unlockText } from '../src/lib/denial.ts';
import { tEn } from './helpers.ts';

function catalogPlan(
  id: string,
  markKey: string,
  apiAccess: boolean,
  extra: { priceMinor?: number; interval?: 'month' | 'year' | 'once'; trialDays?: number } = {},
) {
  return {
    id,
    name: id,
    priceMinor: extra.priceMinor ?? 1000,
    currency: 'usd',
    interval: extra.interval ?? ('month' as const),
    trialDays: extra.trialDays ?? 0,
    markKey,
    markName: markKey.charAt(0).toUpperCase() + markKey.slice(1),
    entitlements: { apiAccess },
  };
}

const CATALOG = [
  catalogPlan('Free', 'free', false, { priceMinor: 0, interval: 'once' }),
  catalogPlan('Pro monthly', 'pro', false),
  catalogPlan('Enterprise', 'enterprise', true, { priceMinor: 9900 }),
  catalogPlan('Enterprise yearly', 'enterprise', true, { priceMinor: 99_000, interval: 'year' }),
  catalogPlan('Acme API', 'acme:api', true, { trialDays: 7 }),
];

describe('apiAccessUnlocks', () => {
  it('lists the marks whose plans grant API access, with those plans, in catalog order', () => {
    const unlocks = apiAccessUnlocks(CATALOG);
    expect(unlocks.map((u) => u.markKey)).toEqual(['enterprise', 'acme:api']);
    expect(unlocks[0]?.plans.map((p) => p.name)).toEqual(['Enterprise', 'Enterprise yearly']);
    expect(unlocks[0]?.markName).toBe('Enterprise');
    // Only what the upgrade prompt needs is kept.
    expect(Object.keys(unlocks[0]?.plans[0] ?? {}).sort()).toEqual(
      ['currency', 'id', 'interval', 'name', 'priceMinor', 'trialDays'].sort(),
    );
  });

  it('reads like the server’s unlock in the upgrade prompt', () => {
    const [enterprise, acme] = apiAccessUnlocks(CATALOG);
    expect(unlockText(enterprise!, tEn, 'en')).toBe(
      'Needs Enterprise — Enterprise $99/mo · Enterprise yearly $990/yr',
    );
    expect(unlockText(acme!, tEn, 'en')).toContain('7-day trial');
  });

  it('is empty when nothing on sale grants API access', () => {
    expect(apiAccessUnlocks(CATALOG.slice(0, 2))).toEqual([]);
    expect(apiAccessUnlocks([])).toEqual([]);
  });

  it('makes a PLAN_REQUIRED denial about API access', () => {
    const denial = apiAccessDenial(CATALOG);
    expect(denial.code).toBe('PLAN_REQUIRED');
    expect(denial.missing).toEqual({ kind: 'apiAccess' });
    expect(denial.unlock).toHaveLength(2);
  });
});

describe('usage snippet', () => {
  it('derives the base URL from the origin', () => {
    expect(apiBaseUrl('https://tessera.example.com')).toBe('https://tessera.example.com/v1');
    expect(apiBaseUrl('http://127.0.0.1:3400/')).toBe('http://127.0.0.1:3400/v1');
  });

  it('shows the openai SDK pointed at /v1, the key from the environment', () => {
    const node = usageSnippet('node', 'https://t.example/v1', 'tessera-mini');
    expect(node).toContain("import OpenAI from 'openai';");
    expect(node).toContain("baseURL: 'https://t.example/v1'");
    expect(node).toContain('apiKey: process.env.TESSERA_API_KEY');
    expect(node).toContain("model: 'tessera-mini'");

    const python = usageSnippet('python', 'https://t.example/v1', 'tessera-mini');
    expect(python).toContain('from openai import OpenAI');
    expect(python).toContain('base_url="https://t.example/v1"');
    expect(python).toContain('os.environ["TESSERA_API_KEY"]');

    const curl = usageSnippet('curl', 'https://t.example/v1', 'tessera-mini');
    expect(curl).toContain('curl https://t.example/v1/chat/completions');
    expect(curl).toContain('Authorization: Bearer $TESSERA_API_KEY');
    expect(curl).toContain('"model": "tessera-mini"');
  });

  it('names the first model the plan allows', () => {
    expect(
      snippetModel([
        { id: 'tessera-ultra', allowed: false },
        { id: 'tessera-plus', allowed: true },
      ]),
    ).toBe('tessera-plus');
    expect(snippetModel([])).toBe('tessera-mini');
  });
});

describe('key list', () => {
  it('hints at a key by its public id part', () => {
    expect(keyHint('abcdefghijklmnopqrstuvwx')).toBe('tsk_abcdef…');
  });

  it('puts active keys first, newest first, then revoked ones', () => {
    const key = (id: string, createdAt: string, revokedAt: string | null = null) => ({
      id,
      createdAt,
      revokedAt,
    });
    const sorted = sortApiKeys([
      key('old', '2026-01-01T00:00:00Z'),
      key('gone-early', '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z'),
      key('new', '2026-02-01T00:00:00Z'),
      key('gone-late', '2026-01-02T00:00:00Z', '2026-02-03T00:00:00Z'),
    ]);
    expect(sorted.map((k) => k.id)).toEqual(['new', 'old', 'gone-late', 'gone-early']);
  });
});
