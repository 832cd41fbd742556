import type { DbOrTx } from '@tessera/db';
import { users } from '@tessera/db';
import { eq } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { normalizeEmail } from './normalize-email.ts';

const publicColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  createdAt: users.createdAt,
};

export function getUser(db: DbOrTx, userId: string) {
  const user = db.select(publicColumns).from(users).where(eq(users.id, userId)).get();
  if (!user) throw new DomainError('NOT_FOUND', 'No such user.');
  return user;
}

export function getUserByEmail(db: DbOrTx, email: string) {
  const user = db
    .select(publicColumns)
    .from(users)
    .where(eq(users.email, normalizeEmail(email)))
    .get();
  if (!user) throw new DomainError('NOT_FOUND', `No account with the email ${email}.`);
  return user;
}

/** Whether an admin has disabled the account, and why; whether its address is verified. */
export function getUserStanding(db: DbOrTx, userId: string) {
  const row = db
    .select({
      disabledAt: users.disabledAt,
      disabledReason: users.disabledReason,
      emailVerifiedAt: users.emailVerifiedAt,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!row) throw new DomainError('NOT_FOUND', 'No such user.');
  return row;
}
