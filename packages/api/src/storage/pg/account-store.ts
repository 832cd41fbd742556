// The PostgreSQL adapter of the account store (drizzle-orm's pg dialect over node-postgres), one
// file per sub-area under ./account/.
import type { PgDb } from '@tessera/db/pg';
import type { AccountStore } from '../account-store.ts';
import { pgExport } from './account/export.ts';
import { pgIdentities } from './account/identities.ts';
import { pgLeaving } from './account/leaving.ts';
import { pgPasswordReset } from './account/password-reset.ts';
import { pgSignup } from './account/signup.ts';
import { pgTwoFactor } from './account/two-factor.ts';
import { pgTwoFactorChallenge } from './account/two-factor-challenge.ts';

export function createPgAccountStore(db: PgDb): AccountStore {
  return {
    ...pgTwoFactor(db),
    ...pgTwoFactorChallenge(db),
    ...pgSignup(db),
    ...pgPasswordReset(db),
    ...pgIdentities(db),
    ...pgLeaving(db),
    ...pgExport(db),
  };
}
