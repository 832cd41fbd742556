import type { DbOrTx } from '@tessera/db';
import { users } from '@tessera/db';
import { eq } from 'drizzle-orm';
import type { MailLocale } from '../../mail/templates.ts';

/** Remembers the language the user reads the app in: their mails are written in it. */
export function setUserLocale(db: DbOrTx, userId: string, locale: MailLocale): void {
  db.update(users).set({ locale }).where(eq(users.id, userId)).run();
}
