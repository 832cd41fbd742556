// Credit packs, plans' Stripe prices and the Stripe event log on PostgreSQL.
import { PLATFORM_TENANT_ID } from '@tessera/db';
import { creditPacks, type PgDb, plans, stripeEvents } from '@tessera/db/pg';
import { asc, desc, eq, sql } from 'drizzle-orm';
import { type PackFieldsInput, packFieldsSchema } from '../../../domain/payments/pack-input.ts';
import { stripePriceIdSchema } from '../../../domain/payments/stripe-ids.ts';
import { DomainError } from '../../../errors.ts';
import { randomId } from '../../../lib/ids.ts';
import { patchSchema } from '../../../lib/patch-schema.ts';
import { validate } from '../../../lib/validate.ts';
import type { PaymentsStore } from '../../payments-store.ts';
import { withRetry } from '../retry.ts';
import { assertPriceFreePg, insertAudit } from './shared.ts';

type PackMethods = Pick<
  PaymentsStore,
  'listCreditPacks' | 'createCreditPack' | 'updateCreditPack' | 'linkPlanPrice' | 'listStripeEvents'
>;

export function createPgPacks(db: PgDb): PackMethods {
  return {
    async listCreditPacks(options = {}) {
      return db
        .select()
        .from(creditPacks)
        .where(options.includeInactive ? undefined : eq(creditPacks.active, true))
        .orderBy(asc(creditPacks.credits), asc(creditPacks.priceMinor), asc(creditPacks.id));
    },

    async createCreditPack(input) {
      const fields = validate(packFieldsSchema, input.fields, 'fields');
      return withRetry(() =>
        db.transaction(async (tx) => {
          await assertPriceFreePg(tx, fields.stripePriceId);
          const [pack] = await tx
            .insert(creditPacks)
            .values({ id: randomId(), ...fields, createdAt: input.now, updatedAt: input.now })
            .returning();
          await insertAudit(tx, {
            tenantId: PLATFORM_TENANT_ID,
            actorUserId: input.actorUserId,
            actorLabel: input.actorLabel ?? null,
            action: 'credit_pack.created',
            subjectType: 'credit_pack',
            subjectId: pack!.id,
            data: fields,
            ip: null,
            createdAt: input.now,
          });
          return pack!;
        }),
      );
    },

    async updateCreditPack(input) {
      // Keep only the fields the caller sent: defaults must not overwrite what is stored.
      const parsed = validate(patchSchema(packFieldsSchema), input.fields, 'fields');
      const fields = Object.fromEntries(
        Object.entries(parsed).filter(([key]) => key in input.fields),
      ) as Partial<PackFieldsInput>;
      return withRetry(() =>
        db.transaction(async (tx) => {
          const [before] = await tx
            .select()
            .from(creditPacks)
            .where(eq(creditPacks.id, input.packId))
            .for('update');
          if (!before) throw new DomainError('NOT_FOUND', 'No such credit pack.');
          await assertPriceFreePg(tx, fields.stripePriceId, { packId: before.id });
          const [pack] = await tx
            .update(creditPacks)
            .set({ ...fields, updatedAt: input.now })
            .where(eq(creditPacks.id, before.id))
            .returning();
          const from = Object.fromEntries(
            Object.keys(fields).map((key) => [key, before[key as keyof typeof before]]),
          );
          await insertAudit(tx, {
            tenantId: PLATFORM_TENANT_ID,
            actorUserId: input.actorUserId,
            actorLabel: input.actorLabel ?? null,
            action: 'credit_pack.updated',
            subjectType: 'credit_pack',
            subjectId: pack!.id,
            data: { from, to: fields },
            ip: null,
            createdAt: input.now,
          });
          return pack!;
        }),
      );
    },

    async linkPlanPrice(input) {
      const priceId =
        input.priceId === null ? null : validate(stripePriceIdSchema, input.priceId, 'priceId');
      return withRetry(() =>
        db.transaction(async (tx) => {
          const [before] = await tx
            .select()
            .from(plans)
            .where(eq(plans.key, input.planKey))
            .for('update');
          if (!before) {
            throw new DomainError('NOT_FOUND', `No plan with key "${input.planKey}".`, {
              fieldErrors: { planKey: ['NOT_FOUND'] },
            });
          }
          await assertPriceFreePg(tx, priceId, { planId: before.id });
          const [plan] = await tx
            .update(plans)
            .set({ stripePriceId: priceId, updatedAt: input.now })
            .where(eq(plans.id, before.id))
            .returning();
          await insertAudit(tx, {
            tenantId: plan!.tenantId,
            actorUserId: input.actorUserId,
            actorLabel: input.actorLabel ?? null,
            action: 'plan.price_linked',
            subjectType: 'plan',
            subjectId: plan!.id,
            data: { key: plan!.key, from: before.stripePriceId, to: priceId },
            ip: null,
            createdAt: input.now,
          });
          return plan!;
        }),
      );
    },

    async listStripeEvents(input = {}) {
      const limit = input.limit ?? 50;
      let cursor: { receivedAt: Date; id: string } | undefined;
      if (input.before) {
        [cursor] = await db
          .select({ receivedAt: stripeEvents.receivedAt, id: stripeEvents.id })
          .from(stripeEvents)
          .where(eq(stripeEvents.id, input.before));
        if (!cursor) return { events: [], nextBefore: null };
      }
      const rows = await db
        .select()
        .from(stripeEvents)
        .where(
          cursor
            ? sql`(${stripeEvents.receivedAt}, ${stripeEvents.id} collate "C") < (${cursor.receivedAt.getTime()}, ${cursor.id} collate "C")`
            : undefined,
        )
        .orderBy(desc(stripeEvents.receivedAt), sql`${stripeEvents.id} collate "C" desc`)
        .limit(limit + 1);
      const events = rows.slice(0, limit);
      return { events, nextBefore: rows.length > limit ? (events.at(-1)?.id ?? null) : null };
    },
  };
}
