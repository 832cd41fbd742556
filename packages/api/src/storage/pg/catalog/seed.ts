// The demo seed on PostgreSQL: the same catalog as SQLite's (seed-demo.ts's DEMO_CATALOG), in one
// transaction, claimed by the same app_meta row, so a second run — or a second instance starting
// at the same moment — writes nothing (the claim's insert waits for the first one's commit, then
// finds its row).
import { PLATFORM_TENANT_ID } from '@tessera/db';
import { appMeta, assistants, marks, type PgDb, tenants } from '@tessera/db/pg';
import { eq } from 'drizzle-orm';
import { DEMO_CATALOG, DEMO_SEEDED_KEY } from '../../../domain/seed/seed-demo.ts';
import { createMarkIn, createPlanIn } from './marks-plans.ts';
import { inTransaction } from './pg-support.ts';

export async function seedDemoPg(db: PgDb, now: Date): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const [claimed] = await tx
      .insert(appMeta)
      .values({ key: DEMO_SEEDED_KEY, value: now.toISOString() })
      .onConflictDoNothing()
      .returning();
    if (!claimed) return false;

    const actor = { actorUserId: null, now };
    const [free] = await tx.select({ id: marks.id }).from(marks).where(eq(marks.key, 'free'));
    if (free) {
      await createPlanIn(tx, {
        tenantId: PLATFORM_TENANT_ID,
        markId: free.id,
        fields: DEMO_CATALOG.freePlan,
        ...actor,
      });
    }
    for (const { plans, ...fields } of DEMO_CATALOG.marks) {
      const mark = await createMarkIn(tx, { tenantId: PLATFORM_TENANT_ID, ...fields, ...actor });
      for (const planFields of plans) {
        await createPlanIn(tx, {
          tenantId: PLATFORM_TENANT_ID,
          markId: mark.id,
          fields: planFields,
          ...actor,
        });
      }
    }

    const demo = DEMO_CATALOG.acme;
    const [acme] = await tx
      .insert(tenants)
      .values({ ...demo.tenant, createdAt: now })
      .onConflictDoNothing()
      .returning();
    if (acme) {
      const writer = await createMarkIn(tx, { tenantId: acme.id, ...demo.mark, ...actor });
      await tx.insert(assistants).values({
        ...demo.assistant,
        tenantId: acme.id,
        markId: writer.id,
        createdAt: now,
        updatedAt: now,
      });
      await createPlanIn(tx, { tenantId: acme.id, markId: writer.id, fields: demo.plan, ...actor });
    }
    return true;
  });
}
