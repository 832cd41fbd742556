import type { DbOrTx } from '@tessera/db';
import { creditPacks, PLATFORM_TENANT_ID } from '@tessera/db';
import { eq } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { randomId } from '../../lib/ids.ts';
import { patchSchema } from '../../lib/patch-schema.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { validate } from '../../lib/validate.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { assertPriceFree } from './assert-price-free.ts';
import { type PackFieldsInput, packFieldsSchema } from './pack-input.ts';

interface Actor {
  actorUserId: string | null;
  /** Set when no signed-in user acted (the CLI): `cli:<os user>`. */
  actorLabel?: string | null;
  now: Date;
}

/** Creates a credit pack. Packs are the platform's: vendors sell plans, not credits. */
export function createCreditPack(db: DbOrTx, input: { fields: PackFieldsInput } & Actor) {
  const fields = validate(packFieldsSchema, input.fields, 'fields');
  return db.transaction((tx) => {
    assertPriceFree(tx, fields.stripePriceId);
    const pack = tx
      .insert(creditPacks)
      .values({ id: randomId(), ...fields, createdAt: input.now, updatedAt: input.now })
      .returning()
      .get();
    recordAudit(tx, {
      tenantId: PLATFORM_TENANT_ID,
      actorUserId: input.actorUserId,
      actorLabel: input.actorLabel ?? null,
      action: 'credit_pack.created',
      subjectType: 'credit_pack',
      subjectId: pack.id,
      data: fields,
      ip: null,
      createdAt: input.now,
    });
    return pack;
  }, IMMEDIATE);
}

/**
 * Edits a credit pack: only the fields sent change. Already-sold packs are unaffected (what a
 * purchase granted is recorded with the purchase), so changing credits or price is safe.
 */
export function updateCreditPack(
  db: DbOrTx,
  input: { packId: string; fields: Partial<PackFieldsInput> } & Actor,
) {
  // Keep only the fields the caller sent: defaults must not overwrite what is stored.
  const parsed = validate(patchSchema(packFieldsSchema), input.fields, 'fields');
  const fields = Object.fromEntries(Object.entries(parsed).filter(([key]) => key in input.fields));
  return db.transaction((tx) => {
    const before = tx.select().from(creditPacks).where(eq(creditPacks.id, input.packId)).get();
    if (!before) throw new DomainError('NOT_FOUND', 'No such credit pack.');
    assertPriceFree(tx, (fields as { stripePriceId?: string | null }).stripePriceId, {
      packId: before.id,
    });
    const pack = tx
      .update(creditPacks)
      .set({ ...fields, updatedAt: input.now })
      .where(eq(creditPacks.id, before.id))
      .returning()
      .get();
    // The previous values of what changed, so the audit log reads "from → to".
    const from = Object.fromEntries(
      Object.keys(fields).map((key) => [key, before[key as keyof typeof before]]),
    );
    recordAudit(tx, {
      tenantId: PLATFORM_TENANT_ID,
      actorUserId: input.actorUserId,
      actorLabel: input.actorLabel ?? null,
      action: 'credit_pack.updated',
      subjectType: 'credit_pack',
      subjectId: pack.id,
      data: { from, to: fields },
      ip: null,
      createdAt: input.now,
    });
    return pack;
  }, IMMEDIATE);
}
