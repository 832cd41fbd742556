// Who may create an account: anyone (`open`), only people an admin invited (`invite`), or nobody
// (`closed`). Stored as the `signup_mode` row of app_meta so every process and the CLI read the
// same answer; no row means `open` (the behaviour before the setting existed). Whatever the mode,
// the very first account can always be created: it is the operator claiming the platform.
import type { Db, DbOrTx } from '@tessera/db';
import { appMeta, PLATFORM_TENANT_ID, tenants } from '@tessera/db';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../domain/audit/record-audit.ts';

export const SIGNUP_MODES = ['open', 'invite', 'closed'] as const;
export type SignupMode = (typeof SIGNUP_MODES)[number];
export const signupModeSchema = z.enum(SIGNUP_MODES, { error: 'INVALID' });

/** The app_meta key the mode is stored under. */
export const SIGNUP_MODE_KEY = 'signup_mode';
const KEY = SIGNUP_MODE_KEY;

export function readSignupMode(db: DbOrTx): SignupMode {
  const row = db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, KEY)).get();
  return signupModeOf(row);
}

/** The mode a stored `app_meta` row (or none) means, on every engine. */
export function signupModeOf(row: { value: string } | undefined): SignupMode {
  const parsed = signupModeSchema.safeParse(row?.value);
  // An unreadable value fails closed: a typo in a hand-edited database must not open sign-up.
  if (!parsed.success) return row ? 'closed' : 'open';
  return parsed.data;
}

export function setSignupMode(
  db: Db,
  input: {
    mode: SignupMode;
    actorUserId: string | null;
    actorLabel?: string | null;
    ip?: string | null;
    now: Date;
  },
): { mode: SignupMode; previous: SignupMode } {
  return db.transaction((tx) => {
    const previous = readSignupMode(tx);
    tx.insert(appMeta)
      .values({ key: KEY, value: input.mode })
      .onConflictDoUpdate({ target: appMeta.key, set: { value: input.mode } })
      .run();
    recordAudit(tx, {
      tenantId: null,
      actorUserId: input.actorUserId,
      actorLabel: input.actorLabel ?? null,
      action: 'signup.mode_set',
      subjectType: 'platform',
      subjectId: 'signup_mode',
      data: { mode: input.mode, previous },
      ip: input.ip ?? null,
      createdAt: input.now,
    });
    return { mode: input.mode, previous };
  });
}

/**
 * The mode the sign-up page should present: `open` while nobody has claimed the platform yet (the
 * first account is always allowed), else the admin's setting.
 */
export function effectiveSignupMode(db: DbOrTx): SignupMode {
  const platform = db
    .select({ claimedAt: tenants.adminClaimedAt })
    .from(tenants)
    .where(eq(tenants.id, PLATFORM_TENANT_ID))
    .get();
  if (!platform || platform.claimedAt === null) return 'open';
  return readSignupMode(db);
}
