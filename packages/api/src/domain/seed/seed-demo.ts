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

/**
 * The demo catalog as data, in the order it is written: each engine's seed walks it (SQLite here,
 * PostgreSQL in storage/pg/catalog/seed.ts), so the two databases get the same catalog.
 */
export const DEMO_CATALOG = {
  /** A plan for the migration's Free mark. */
  freePlan: plan('Free', {
    description: 'The basic model, 20 requests a day.',
    priceMinor: 0,
    currency: 'usd',
    interval: 'once',
    sortOrder: 0,
  }),
  /** Platform marks, each followed by its plans. */
  marks: [
    {
      slug: 'pro',
      name: 'Pro',
      description: 'Better models, premium plugins and a monthly credit allowance.',
      entitlements: PRO,
      plans: (
        [
          ['Pro monthly', 2000, 'month'],
          ['Pro yearly', 20_000, 'year'],
        ] as const
      ).map(([name, priceMinor, interval]) =>
        plan(name, {
          priceMinor,
          currency: 'usd',
          interval,
          trialDays: interval === 'month' ? 7 : 0,
          sortOrder: 1,
        }),
      ),
    },
    {
      slug: 'enterprise',
      name: 'Enterprise',
      description: 'Every model and plugin, API access and team seats.',
      entitlements: ENTERPRISE,
      plans: [
        plan('Enterprise', {
          priceMinor: 9900,
          currency: 'usd',
          interval: 'month',
          seats: 25,
          sortOrder: 2,
        }),
      ],
    },
  ],
  /** The demo vendor, written only if no tenant `acme` exists yet. */
  acme: {
    tenant: {
      id: 'acme',
      kind: 'vendor' as const,
      slug: 'acme',
      name: 'Acme Writing Co.',
      ceiling: ceilingSchema.parse(ACME_CEILING),
    },
    mark: {
      slug: 'writer',
      name: 'Acme Writer',
      description: "Acme's SEO writing assistant.",
      entitlements: ACME_WRITER,
    },
    assistant: {
      id: 'acme-seo-writer',
      name: 'Acme SEO Writer',
      description: 'Drafts and polishes web copy that ranks.',
      systemPrompt:
        'You are Acme SEO Writer. Write clear, helpful web copy with a strong title, scannable headings and natural keyword use.',
      modelId: 'tessera-plus',
    },
    plan: plan('Acme Writer', {
      description: 'SEO analysis with the Plus model.',
      priceMinor: 900,
      currency: 'usd',
      interval: 'month',
      trialDays: 3,
    }),
  },
};

/** The app_meta row whose insert claims the seed: a second run finds it and writes nothing. */
export const DEMO_SEEDED_KEY = 'demo_seeded_at';

/** Seeds the demo catalog once; returns false when this database was already seeded. */
export function seedDemoData(db: Db, now: Date): boolean {
  return db.transaction((tx) => {
    const claimed = tx
      .insert(appMeta)
      .values({ key: DEMO_SEEDED_KEY, value: now.toISOString() })
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
        fields: DEMO_CATALOG.freePlan,
        ...actor,
      });
    }
    for (const { plans, ...fields } of DEMO_CATALOG.marks) {
      const mark = createMark(tx, { tenantId: PLATFORM_TENANT_ID, ...fields, ...actor });
      for (const planFields of plans) {
        createPlan(tx, {
          tenantId: PLATFORM_TENANT_ID,
          markId: mark.id,
          fields: planFields,
          ...actor,
        });
      }
    }

    const demo = DEMO_CATALOG.acme;
    const acme = tx
      .insert(tenants)
      .values({ ...demo.tenant, createdAt: now })
      .onConflictDoNothing()
      .returning()
      .get();
    if (acme) {
      const writer = createMark(tx, { tenantId: acme.id, ...demo.mark, ...actor });
      tx.insert(assistants)
        .values({
          ...demo.assistant,
          tenantId: acme.id,
          markId: writer.id,
          createdAt: now,
          updatedAt: now,
        })
        .run();
      createPlan(tx, { tenantId: acme.id, markId: writer.id, fields: demo.plan, ...actor });
    }
    return true;
  });
}
