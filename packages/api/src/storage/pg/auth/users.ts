// Accounts on PostgreSQL: creation (the first account claims the platform), the admin console's
// list and lookups, disabling and enabling, the viewer's standing, the locale.
import { PLATFORM_TENANT_ID } from '@tessera/db';
import {
  creditAccounts,
  marks,
  memberships,
  type PgDb,
  sessions,
  tenantMembers,
  tenants,
  users,
} from '@tessera/db/pg';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { FREE_MARK_KEY } from '../../../domain/users/create-user.ts';
import { searchPattern } from '../../../domain/users/list-users.ts';
import { normalizeEmail } from '../../../domain/users/normalize-email.ts';
import { assertMayDisable } from '../../../domain/users/set-user-disabled.ts';
import { DomainError } from '../../../errors.ts';
import { randomId } from '../../../lib/ids.ts';
import type { AuthStore } from '../../auth-store.ts';
import { withRetry } from '../retry.ts';
import { insertAudit, insertMemberEvent } from './writes.ts';

type UserMethods =
  | 'createUser'
  | 'listUsers'
  | 'userById'
  | 'userByEmail'
  | 'viewerStanding'
  | 'setUserDisabled'
  | 'setUserLocale';

const summaryColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  createdAt: users.createdAt,
};
const recordColumns = {
  ...summaryColumns,
  disabledAt: users.disabledAt,
  disabledReason: users.disabledReason,
  emailVerifiedAt: users.emailVerifiedAt,
};

const emailTaken = () =>
  new DomainError('EMAIL_TAKEN', 'An account with this email already exists.', {
    fieldErrors: { email: ['EMAIL_TAKEN'] },
  });

export function createPgUsers(db: PgDb): Pick<AuthStore, UserMethods> {
  return {
    // Two sign-ups of one email: the unique email lets one insert through (`on conflict do
    // nothing`), the other answers EMAIL_TAKEN. Two first accounts: the guarded claim of the
    // platform row lets one become owner. No retry: a conflict here is an answer, not a fault.
    createUser: (input) =>
      db.transaction(async (tx) => {
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
          .returning(summaryColumns);
        if (!user) throw emailTaken();

        const claimed = await tx
          .update(tenants)
          .set({ adminClaimedAt: input.now })
          .where(and(eq(tenants.id, PLATFORM_TENANT_ID), isNull(tenants.adminClaimedAt)))
          .returning({ id: tenants.id });
        const firstAccount = claimed.length > 0;
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
        // Every account holds the free tier, with no end: a new user holds nothing yet, so this is
        // the plain insert grantMark's upsert comes to, with the same events.
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
      }),

    async listUsers(input) {
      const pattern = searchPattern(input.search);
      const rows = await db
        .select(recordColumns)
        .from(users)
        // ILIKE: SQLite's LIKE is case-blind, PostgreSQL's is not (emails are lower-case anyway).
        .where(pattern ? sql`${users.email} ILIKE ${pattern} ESCAPE '\\'` : undefined)
        .orderBy(asc(users.email))
        .limit(input.limit ?? 100);
      if (rows.length === 0) return [];
      const roles = await db
        .select({
          userId: tenantMembers.userId,
          tenantId: tenantMembers.tenantId,
          tenantSlug: tenants.slug,
          role: tenantMembers.role,
        })
        .from(tenantMembers)
        .innerJoin(tenants, eq(tenants.id, tenantMembers.tenantId))
        .where(
          inArray(
            tenantMembers.userId,
            rows.map((r) => r.id),
          ),
        );
      return rows.map((user) => ({
        ...user,
        roles: roles
          .filter((r) => r.userId === user.id)
          .map(({ tenantId, tenantSlug, role }) => ({ tenantId, tenantSlug, role })),
      }));
    },

    async userById(userId) {
      const [row] = await db.select(recordColumns).from(users).where(eq(users.id, userId));
      return row ?? null;
    },

    async userByEmail(email) {
      const [row] = await db
        .select(summaryColumns)
        .from(users)
        .where(eq(users.email, normalizeEmail(email)));
      return row ?? null;
    },

    async viewerStanding(userId) {
      const [roles, [verified]] = await Promise.all([
        db
          .select({
            tenantId: tenantMembers.tenantId,
            tenantKind: tenants.kind,
            role: tenantMembers.role,
          })
          .from(tenantMembers)
          .innerJoin(tenants, eq(tenants.id, tenantMembers.tenantId))
          .where(eq(tenantMembers.userId, userId)),
        db.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, userId)),
      ]);
      return { roles, emailVerified: verified?.at != null };
    },

    async setUserDisabled(input) {
      assertMayDisable(input);
      return withRetry(() =>
        db.transaction(async (tx) => {
          // The row lock orders this against a concurrent enable/disable of the same account.
          const [user] = await tx
            .select({
              id: users.id,
              email: users.email,
              disabledAt: users.disabledAt,
              deletedAt: users.deletedAt,
            })
            .from(users)
            .where(eq(users.id, input.userId))
            .for('update');
          if (!user) throw new DomainError('NOT_FOUND', 'No such user.');
          // A deleted account (decision 025) stays disabled: its row is kept only for the books.
          if (user.deletedAt && !input.disabled)
            throw new DomainError(
              'CONFLICT',
              'This account was deleted; it cannot be enabled again.',
            );
          const [row] = await tx
            .update(users)
            .set(
              input.disabled
                ? { disabledAt: user.disabledAt ?? input.now, disabledReason: input.reason ?? null }
                : { disabledAt: null, disabledReason: null },
            )
            .where(eq(users.id, input.userId))
            .returning({ disabledAt: users.disabledAt, disabledReason: users.disabledReason });
          const sessionsEnded = input.disabled
            ? (
                await tx
                  .delete(sessions)
                  .where(eq(sessions.userId, input.userId))
                  .returning({ id: sessions.id })
              ).length
            : 0;
          await insertMemberEvent(tx, {
            userId: input.userId,
            kind: 'account.changed',
            now: input.now,
          });
          await insertAudit(tx, {
            tenantId: null,
            actorUserId: input.actorUserId,
            actorLabel: input.actorLabel ?? null,
            action: input.disabled ? 'user.disabled' : 'user.enabled',
            subjectType: 'user',
            subjectId: input.userId,
            data: { email: user.email, reason: input.reason ?? null, sessionsEnded },
            ip: null,
            createdAt: input.now,
          });
          return { userId: user.id, email: user.email, ...row!, sessionsEnded };
        }),
      );
    },

    async setUserLocale(userId, locale) {
      await db.update(users).set({ locale }).where(eq(users.id, userId));
    },
  };
}
