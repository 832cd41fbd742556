// Accounts on PostgreSQL: creation and sign-up (./create-user.ts, ./sign-up.ts), the admin
// console's list and lookups, disabling and enabling, the viewer's standing, the locale.
import { type PgDb, sessions, tenantMembers, tenants, users } from '@tessera/db/pg';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { searchPattern } from '../../../domain/users/list-users.ts';
import { normalizeEmail } from '../../../domain/users/normalize-email.ts';
import { assertMayDisable } from '../../../domain/users/set-user-disabled.ts';
import { DomainError } from '../../../errors.ts';
import type { AuthStore } from '../../auth-store.ts';
import { withRetry } from '../retry.ts';
import { insertUser } from './create-user.ts';
import { admitSignUp } from './sign-up.ts';
import { insertAudit, insertMemberEvent } from './writes.ts';

type UserMethods =
  | 'createUser'
  | 'signUp'
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

export function createPgUsers(db: PgDb): Pick<AuthStore, UserMethods> {
  return {
    createUser: (input) => db.transaction((tx) => insertUser(tx, input)),

    signUp: ({ inviteToken, locale, baseUrl, ...input }) =>
      db.transaction((tx) =>
        insertUser(tx, input, (account) =>
          admitSignUp(tx, account, { inviteToken, locale, baseUrl, now: input.now }),
        ),
      ),

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
