import type { Denial, Unlock } from './denial.ts';
import type { CatalogPlan, RouterOutputs } from './trpc.ts';

/** The member's API keys for the OpenAI-compatible `/v1` API (see pages/account/ApiKeysCard). */

export type ApiKeyList = RouterOutputs['apiKeys']['list'];
export type ApiKeyRow = ApiKeyList['keys'][number];
export type NewApiKey = RouterOutputs['apiKeys']['create'];

type CatalogEntry = Pick<
  CatalogPlan,
  'id' | 'name' | 'priceMinor' | 'currency' | 'interval' | 'trialDays' | 'markKey' | 'markName'
> & { entitlements: Pick<CatalogPlan['entitlements'], 'apiAccess'> };

/**
 * The marks whose plans grant API access, each with those plans, in catalog order: what the
 * server's PLAN_REQUIRED refusal would list, known before anyone presses "Create key".
 */
export function apiAccessUnlocks(catalog: readonly CatalogEntry[]): Unlock[] {
  const byMark = new Map<string, Unlock>();
  for (const plan of catalog) {
    if (!plan.entitlements.apiAccess) continue;
    const unlock = byMark.get(plan.markKey) ?? {
      markKey: plan.markKey,
      markName: plan.markName,
      plans: [],
    };
    unlock.plans.push({
      id: plan.id,
      name: plan.name,
      priceMinor: plan.priceMinor,
      currency: plan.currency,
      interval: plan.interval,
      trialDays: plan.trialDays,
    });
    byMark.set(plan.markKey, unlock);
  }
  return [...byMark.values()];
}

/** The refusal a plan without API access gets, for the upgrade prompt. */
export function apiAccessDenial(catalog: readonly CatalogEntry[]): Denial {
  return {
    code: 'PLAN_REQUIRED',
    missing: { kind: 'apiAccess' },
    unlock: apiAccessUnlocks(catalog),
  };
}

/** `https://tessera.example.com/v1` from the page's origin (a trailing slash is dropped). */
export function apiBaseUrl(origin: string): string {
  return `${origin.replace(/\/+$/, '')}/v1`;
}

/** Keys look like `tsk_<id>_<secret>`; the id part is not secret, so it helps tell keys apart. */
export function keyHint(keyId: string): string {
  return `tsk_${keyId.slice(0, 6)}…`;
}

/** Active keys first (newest first), then revoked ones (most recently revoked first). */
export function sortApiKeys<K extends Pick<ApiKeyRow, 'createdAt' | 'revokedAt'>>(
  keys: readonly K[],
): K[] {
  const time = (iso: string | null) => (iso ? new Date(iso).getTime() : 0);
  return [...keys].sort((a, b) => {
    if ((a.revokedAt === null) !== (b.revokedAt === null)) return a.revokedAt === null ? -1 : 1;
    if (a.revokedAt && b.revokedAt) return time(b.revokedAt) - time(a.revokedAt);
    return time(b.createdAt) - time(a.createdAt);
  });
}

export const SNIPPET_LANGUAGES = ['node', 'python', 'curl'] as const;
export type SnippetLanguage = (typeof SNIPPET_LANGUAGES)[number];

/**
 * How to call the API with the official openai SDK (Node, Python) or curl. The key is read from
 * the environment, never pasted into code.
 */
export function usageSnippet(language: SnippetLanguage, baseUrl: string, model: string): string {
  const quoted = JSON.stringify(model);
  if (language === 'python') {
    return [
      'import os',
      'from openai import OpenAI',
      '',
      'client = OpenAI(',
      `    base_url=${JSON.stringify(baseUrl)},`,
      '    api_key=os.environ["TESSERA_API_KEY"],',
      ')',
      '',
      'completion = client.chat.completions.create(',
      `    model=${quoted},`,
      '    messages=[{"role": "user", "content": "Hello!"}],',
      ')',
      'print(completion.choices[0].message.content)',
    ].join('\n');
  }
  if (language === 'curl') {
    return [
      `curl ${baseUrl}/chat/completions \\`,
      '  -H "Authorization: Bearer $TESSERA_API_KEY" \\',
      '  -H "Content-Type: application/json" \\',
      `  -d '{"model": ${quoted}, "messages": [{"role": "user", "content": "Hello!"}]}'`,
    ].join('\n');
  }
  return [
    "import OpenAI from 'openai';",
    '',
    'const client = new OpenAI({',
    `  baseURL: '${baseUrl}',`,
    '  apiKey: process.env.TESSERA_API_KEY,',
    '});',
    '',
    'const completion = await client.chat.completions.create({',
    `  model: '${model}',`,
    "  messages: [{ role: 'user', content: 'Hello!' }],",
    '});',
    'console.log(completion.choices[0].message.content);',
  ].join('\n');
}

/** The model the snippet names: the first one the plan allows, else the demo's basic model. */
export function snippetModel(models: readonly { id: string; allowed: boolean }[]): string {
  return models.find((model) => model.allowed)?.id ?? 'tessera-mini';
}
