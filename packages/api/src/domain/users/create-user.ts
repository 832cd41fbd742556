import type { Db, Tx } from '@tessera/db';
import {
  creditAccounts,
  marks,
  PLATFORM_TENANT_ID,
  tenantMembers,
  tenants,
  users,
} from '@tessera/db';
import { and, eq, isNull } from 'drizzle-orm';
import { hashPassword, passwordPolicyViolations } from '../../auth/password.ts';
import { DomainError } from '../../errors.ts';
import { randomId } from '../../lib/ids.ts';
import type { NewUser } from '../../storage/auth-store.ts';
import type { Stores } from '../../storage/stores.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { grantMark } from '../memberships/grant-mark.ts';
import { normalizeEmail } from './normalize-email.ts';

export const FREE_MARK_KEY = 'free';

export interface CreateUserInput {
  email: string;
  password: string;
  displayName?: string | null;
  /** Make the new user a platform admin (CLI `--admin`, or an admin creating one). */
  platformAdmin?: boolean;
  /** The address is already proven (created by an operator, or vouched for by an SSO issuer). */
  emailVerified?: boolean;
  actorUserId?: string | null;
  /** Who acted when no signed-in user did, or through which tool (`cli:<os user>`); for the audit log. */
  actorLabel?: string | null;
  ip?: string | null;
  now: Date;
  /**
   * Runs inside the creating transaction once the account row exists and the first-account claim
   * is decided: sign-up's mode and invite checks (throwing undoes the whole account, so the check
   * and the creation cannot be raced apart) and its verification mail.
   */
  admit?: (tx: Tx, account: { id: string; email: string; firstAccount: boolean }) => void;
}

export interface CreatedUser {
  id: string;
  email: string;
  displayName: string | null;
  createdAt: Date;
  platformRole: 'owner' | 'admin' | null;
}

/**
 * Creates an account. The very first account ever created becomes the platform owner: the
 * platform tenant's `admin_claimed_at` is claimed by one guarded UPDATE, so two simultaneous
 * first sign-ups cannot both win, and deleting that user later does not hand the role to the next.
 */
export async function createUser(db: Db, input: CreateUserInput): Promise<CreatedUser> {
  const account = await prepareNewUser(input);
  return insertNewUser(db, { ...account, admit: input.admit });
}

/**
 * Creates an account through the auth store (any engine): the CLI and the admin console. Sign-up,
 * whose admission checks run inside the creating transaction, still calls createUser.
 */
export async function createAccount(
  stores: Pick<Stores, 'auth'>,
  input: Omit<CreateUserInput, 'admit'>,
): Promise<CreatedUser> {
  return stores.auth.createUser(await prepareNewUser(input));
}

/** The shared part before storage: the email normalised, the policy checked, the password hashed. */
export async function prepareNewUser(input: Omit<CreateUserInput, 'admit'>): Promise<NewUser> {
  const email = normalizeEmail(input.email);
  const violations = passwordPolicyViolations(input.password, email);
  if (violations.length > 0) {
    throw new DomainError('WEAK_PASSWORD', 'The password does not meet the password policy.', {
      fieldErrors: { password: violations },
    });
  }
  // Hash outside the transaction: better-sqlite3 transactions are synchronous.
  const passwordHash = await hashPassword(input.password);
  return {
    email,
    passwordHash,
    displayName: input.displayName ?? null,
    platformAdmin: input.platformAdmin ?? false,
    emailVerified: input.emailVerified ?? false,
    actorUserId: input.actorUserId ?? null,
    actorLabel: input.actorLabel ?? null,
    ip: input.ip ?? null,
    now: input.now,
  };
}

/** The creating transaction on SQLite (the auth store's SQLite adapter calls it too). */
export function insertNewUser(
  db: Db,
  input: NewUser & Pick<CreateUserInput, 'admit'>,
): CreatedUser {
  const email = input.email;
  const passwordHash = input.passwordHash;
  return db.transaction((tx) => {
    const user = tx
      .insert(users)
      .values({
        id: randomId(),
        email,
        passwordHash,
        displayName: input.displayName ?? null,
        createdAt: input.now,
        emailVerifiedAt: input.emailVerified ? input.now : null,
      })
      .onConflictDoNothing({ target: users.email })
      .returning({
        id: users.id,
        email: users.email,
        displayName: users.displayName,
        createdAt: users.createdAt,
      })
      .get();
    if (!user) {
      throw new DomainError('EMAIL_TAKEN', 'An account with this email already exists.', {
        fieldErrors: { email: ['EMAIL_TAKEN'] },
      });
    }

    const claimedFirstAccount = tx
      .update(tenants)
      .set({ adminClaimedAt: input.now })
      .where(and(eq(tenants.id, PLATFORM_TENANT_ID), isNull(tenants.adminClaimedAt)))
      .returning({ id: tenants.id })
      .get();
    input.admit?.(tx, { id: user.id, email, firstAccount: Boolean(claimedFirstAccount) });
    const platformRole = claimedFirstAccount ? 'owner' : input.platformAdmin ? 'admin' : null;
    if (platformRole) {
      tx.insert(tenantMembers)
        .values({
          tenantId: PLATFORM_TENANT_ID,
          userId: user.id,
          role: platformRole,
          createdAt: input.now,
        })
        .run();
    }

    tx.insert(creditAccounts)
      .values({ userId: user.id, balance: 0, reserved: 0, updatedAt: input.now })
      .run();

    // Every account holds the free tier, with no end.
    const free = tx.select({ id: marks.id }).from(marks).where(eq(marks.key, FREE_MARK_KEY)).get();
    if (free) {
      grantMark(tx, {
        userId: user.id,
        markId: free.id,
        days: null,
        source: 'signup',
        actorUserId: input.actorUserId ?? user.id,
        actorLabel: input.actorLabel,
        now: input.now,
      });
    }

    recordAudit(tx, {
      tenantId: PLATFORM_TENANT_ID,
      actorUserId: input.actorUserId ?? user.id,
      actorLabel: input.actorLabel ?? null,
      action: 'user.created',
      subjectType: 'user',
      subjectId: user.id,
      data: { email, platformRole, firstAccount: Boolean(claimedFirstAccount) },
      ip: input.ip ?? null,
      createdAt: input.now,
    });
    return { ...user, platformRole };
  });
}
