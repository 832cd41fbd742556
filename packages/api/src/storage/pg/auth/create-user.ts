// Creating an account on PostgreSQL, the transaction of domain/users/create-user.ts: the user row,
// the first account's claim of the platform, the platform role, the credit account, the free mark
// and the audit. Two sign-ups of one email: the unique email lets one insert through (`on conflict
// do nothing`), the other answers EMAIL_TAKEN. Two first accounts: the guarded claim of the
// platform row lets one become owner. No retry: a conflict here is an answer, not a fault.
import { PLATFORM_TENANT_ID } from '@tessera/db';
import {
  creditAccounts,
  marks,
  memberships,
  type PgTx,
  tenantMembers,
  tenants,
  users,
} from '@tessera/db/pg';
import { and, eq, isNull } from 'drizzle-orm';
import { type CreatedUser, FREE_MARK_KEY } from '../../../domain/users/create-user.ts';
import { DomainError } from '../../../errors.ts';
import { randomId } from '../../../lib/ids.ts';
import type { NewUser } from '../../auth-store.ts';
import { insertAudit, insertMemberEvent } from './writes.ts';

export interface NewAccount {
  id: string;
  email: string;
  firstAccount: boolean;
}

/**
 * Inserts the account in `tx`. `admit` runs once the row exists and the first-account claim is
 * decided (sign-up's mode and invite); throwing rolls the whole account back.
 */
export async function insertUser(
  tx: PgTx,
  input: NewUser,
  admit?: (account: NewAccount) => Promise<void>,
): Promise<CreatedUser> {
  const [user] = await tx
    .insert(users)
    .values({
      id: randomId(),
      email: input.email,
      passwordHash: input.passwordHash,
      displayName: input.displayName,
      createdAt: input.now,
      emailVerifiedAt: input.emailVerified ? input.now : null,
    })
    .onConflictDoNothing({ target: users.email })
    .returning({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      createdAt: users.createdAt,
    });
  if (!user) {
    throw new DomainError('EMAIL_TAKEN', 'An account with this email already exists.', {
      fieldErrors: { email: ['EMAIL_TAKEN'] },
    });
  }

  const claimed = await tx
    .update(tenants)
    .set({ adminClaimedAt: input.now })
    .where(and(eq(tenants.id, PLATFORM_TENANT_ID), isNull(tenants.adminClaimedAt)))
    .returning({ id: tenants.id });
  const firstAccount = claimed.length > 0;
  await admit?.({ id: user.id, email: input.email, firstAccount });
  const platformRole = firstAccount ? 'owner' : input.platformAdmin ? 'admin' : null;
  if (platformRole) {
    await tx.insert(tenantMembers).values({
      tenantId: PLATFORM_TENANT_ID,
      userId: user.id,
      role: platformRole,
      createdAt: input.now,
    });
  }
  await tx
    .insert(creditAccounts)
    .values({ userId: user.id, balance: 0, reserved: 0, updatedAt: input.now });

  const actorUserId = input.actorUserId ?? user.id;
  // Every account holds the free tier, with no end: a new user holds nothing yet, so this is the
  // plain insert grantMark's upsert comes to, with the same member event and audit event.
  const [free] = await tx
    .select({ id: marks.id, key: marks.key, tenantId: marks.tenantId })
    .from(marks)
    .where(eq(marks.key, FREE_MARK_KEY));
  if (free) {
    await tx.insert(memberships).values({
      id: randomId(),
      userId: user.id,
      markId: free.id,
      startsAt: input.now,
      expiresAt: null,
      status: 'active',
      source: 'signup',
      reference: null,
      createdAt: input.now,
      updatedAt: input.now,
    });
    await insertMemberEvent(tx, {
      userId: user.id,
      kind: 'membership.granted',
      markKey: free.key,
      now: input.now,
    });
    await insertAudit(tx, {
      tenantId: free.tenantId,
      actorUserId,
      actorLabel: input.actorLabel,
      action: 'membership.granted',
      subjectType: 'user',
      subjectId: user.id,
      data: {
        markKey: free.key,
        days: null,
        source: 'signup',
        reference: null,
        reason: null,
        expiresAt: null,
      },
      ip: null,
      createdAt: input.now,
    });
  }

  await insertAudit(tx, {
    tenantId: PLATFORM_TENANT_ID,
    actorUserId,
    actorLabel: input.actorLabel,
    action: 'user.created',
    subjectType: 'user',
    subjectId: user.id,
    data: { email: input.email, platformRole, firstAccount },
    ip: input.ip,
    createdAt: input.now,
  });
  return { ...user, platformRole };
}
