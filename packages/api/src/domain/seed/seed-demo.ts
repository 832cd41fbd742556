// Demo data for a new database: Pro and Enterprise next to the migration's Free, their plans, and a
// demo vendor "Acme" with one mark and one plan. Runs once per database (guarded by app_meta), so
// an admin's later edits are never overwritten.
import type { Db } from '@tessera/db';
import { appMeta, assistants, marks, PLATFORM_TENANT_ID, tenants } from '@tessera/db';
import { eq } from 'drizzle-orm';
import type { EntitlementsInput } from '../entitlements/entitlements.ts';
import { createMark } from '../marks/create-mark.ts';
import type { PlanFieldsInput } from '../plans/plan-input.ts';
import { createPlan } from '../plans/save-plan.ts';
import { type CeilingInput, ceilingSchema } from '../tenancy/ceiling.ts';

const PRO: EntitlementsInput = {
  models: ['tessera-mini', 'tessera-plus'],
  plugins: ['translate', 'summarize'],
  requestsPerDay: 500,
  requestsPerMonth: 10_000,
  requestsPerMinute: 30,
  maxOutputTokens: 4096,
  apiAccess: false,
  // Heavy users (≥ 200 requests in the last 7 days) get a larger monthly allowance.
  refill: {
    amount: 2_000_000,
    every: { value: 1, unit: 'month' },
    strategy: 'reset',
    mode: 'on_demand',
    grades: [{ minRequests7d: 200, amount: 3_000_000 }],
  },
  fallbackModel: 'tessera-mini',
};

const ENTERPRISE: EntitlementsInput = {
  models: ['tessera-mini', 'tessera-plus', 'tessera-ultra'],
  plugins: ['translate', 'summarize', 'seo-analysis'],
  requestsPerDay: null,
  requestsPerMonth: null,
  requestsPerMinute: 120,
  maxOutputTokens: 16_384,
  apiAccess: true,
  seats: 25,
  refill: {
    amount: 20_000_000,
    every: { value: 1, unit: 'month' },
    strategy: 'topup',
    cap: 40_000_000,
    mode: 'scheduled',
  },
  fallbackModel: 'tessera-plus',
};

const ACME_WRITER: EntitlementsInput = {
  plugins: ['seo-analysis'],
  models: ['tessera-plus'],
  requestsPerDay: 100,
};

/**
 * What the platform delegates to Acme: the two smaller models, the SEO and summary plugins, modest
 * limits and a week's trial — never Ultra, API access or a credit allowance of the platform's.
 */
export const ACME_CEILING: CeilingInput = {
  models: ['tessera-mini', 'tessera-plus'],
  plugins: ['seo-analysis', 'summarize'],
  requestsPerDay: 200,
  requestsPerMonth: 5000,
  requestsPerMinute: 20,
  maxOutputTokens: 4096,
  trialDays: 7,
};

function plan(name: string, fields: Omit<PlanFieldsInput, 'name'>): PlanFieldsInput {
  return { name, ...fields };
}

/** Seeds the demo catalog once; returns false when this database was already seeded. */
export function seedDemoData(db: Db, now: Date): boolean {
  return db.transaction((tx) => {
    const claimed = tx
      .insert(appMeta)
      .values({ key: 'demo_seeded_at', value: now.toISOString() })
      .onConflictDoNothing()
      .returning()
      .get();
    if (!claimed) return false;

    const actor = { actorUserId: null, now };
    const free = tx.select({ id: marks.id }).from(marks).where(eq(marks.key, 'free')).get();
    if (free) {
      createPlan(tx, {
        tenantId: PLATFORM_TENANT_ID,
        markId: free.id,
        fields: plan('Free', {
          description: 'The basic model, 20 requests a day.',
          priceMinor: 0,
          currency: 'usd',
          interval: 'once',
          sortOrder: 0,
        }),
        ...actor,
      });
    }
    const pro = createMark(tx, {
      tenantId: PLATFORM_TENANT_ID,
      slug: 'pro',
      name: 'Pro',
      description: 'Better models, premium plugins and a monthly credit allowance.',
      entitlements: PRO,
      ...actor,
    });
    for (const [name, priceMinor, interval] of [
      ['Pro monthly', 2000, 'month'],
      ['Pro yearly', 20_000, 'year'],
    ] as const) {
      createPlan(tx, {
        tenantId: PLATFORM_TENANT_ID,
        markId: pro.id,
        fields: plan(name, {
          priceMinor,
          currency: 'usd',
          interval,
          trialDays: interval === 'month' ? 7 : 0,
          sortOrder: 1,
        }),
        ...actor,
      });
    }
    const enterprise = createMark(tx, {
      tenantId: PLATFORM_TENANT_ID,
      slug: 'enterprise',
      name: 'Enterprise',
      description: 'Every model and plugin, API access and team seats.',
      entitlements: ENTERPRISE,
      ...actor,
    });
    createPlan(tx, {
      tenantId: PLATFORM_TENANT_ID,
      markId: enterprise.id,
      fields: plan('Enterprise', {
        priceMinor: 9900,
        currency: 'usd',
        interval: 'month',
        seats: 25,
        sortOrder: 2,
      }),
      ...actor,
    });

    const acme = tx
      .insert(tenants)
      .values({
        id: 'acme',
        kind: 'vendor',
        slug: 'acme',
        name: 'Acme Writing Co.',
        ceiling: ceilingSchema.parse(ACME_CEILING),
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning()
      .get();
    if (acme) {
      const writer = createMark(tx, {
        tenantId: acme.id,
        slug: 'writer',
        name: 'Acme Writer',
        description: "Acme's SEO writing assistant.",
        entitlements: ACME_WRITER,
        ...actor,
      });
      tx.insert(assistants)
        .values({
          id: 'acme-seo-writer',
          tenantId: acme.id,
          markId: writer.id,
          name: 'Acme SEO Writer',
          description: 'Drafts and polishes web copy that ranks.',
          systemPrompt:
            'You are Acme SEO Writer. Write clear, helpful web copy with a strong title, scannable headings and natural keyword use.',
          modelId: 'tessera-plus',
          createdAt: now,
          updatedAt: now,
        })
        .run();
      createPlan(tx, {
        tenantId: acme.id,
        markId: writer.id,
        fields: plan('Acme Writer', {
          description: 'SEO analysis with the Plus model.',
          priceMinor: 900,
          currency: 'usd',
          interval: 'month',
          trialDays: 3,
        }),
        ...actor,
      });
    }
    return true;
  });
}
