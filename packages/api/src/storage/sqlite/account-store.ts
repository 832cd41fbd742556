// The SQLite adapter of the account store: today's synchronous functions behind the port,
// unchanged (each is one or two short transactions; the only extra work is a resolved promise).
import type { Db } from '@tessera/db';
import {
  isEmailVerified,
  resendEmailVerification,
  verifyEmail,
} from '../../auth/email-verification.ts';
import { createInvite, describeInvite, listInvites, revokeInvite } from '../../auth/invites.ts';
import { requestPasswordReset, sendPasswordReset } from '../../auth/request-password-reset.ts';
import { resetPassword } from '../../auth/reset-password.ts';
import { effectiveSignupMode, readSignupMode, setSignupMode } from '../../auth/signup-mode.ts';
import { listUserIdentities } from '../../auth/sso/sso-accounts.ts';
import { unlinkIdentity } from '../../auth/sso/unlink-identity.ts';
import {
  issueTwoFactorChallenge,
  redeemTwoFactorChallenge,
} from '../../auth/two-factor/challenge.ts';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../auth/two-factor/enrol.ts';
import {
  disableTwoFactor,
  regenerateRecoveryCodes,
  resetTwoFactor,
  twoFactorStatus,
} from '../../auth/two-factor/manage.ts';
import { hasTwoFactor } from '../../auth/two-factor/totp.ts';
import { deleteAccountByEmail, deleteOwnAccount } from '../../domain/users/delete-account.ts';
import { exportUserData } from '../../domain/users/export-user-data.ts';
import type { AccountStore } from '../account-store.ts';

export function createSqliteAccountStore(db: Db): AccountStore {
  return {
    twoFactorStatus: async (userId) => twoFactorStatus(db, userId),
    hasTwoFactor: async (userId) => hasTwoFactor(db, userId),
    issueTwoFactorChallenge: async (input) => issueTwoFactorChallenge(db, input),
    redeemTwoFactorChallenge: async (input) => redeemTwoFactorChallenge(db, input),
    startTotpEnrolment: async (input) => startTotpEnrolment(db, input),
    confirmTotpEnrolment: async (input) => confirmTotpEnrolment(db, input),
    disableTwoFactor: async (input) => disableTwoFactor(db, input),
    regenerateRecoveryCodes: async (input) => regenerateRecoveryCodes(db, input),
    resetTwoFactor: async (input) => resetTwoFactor(db, input),

    readSignupMode: async () => readSignupMode(db),
    effectiveSignupMode: async () => effectiveSignupMode(db),
    setSignupMode: async (input) => setSignupMode(db, input),
    createInvite: async (input) => createInvite(db, input),
    describeInvite: async (token, now) => describeInvite(db, token, now),
    listInvites: async (input) => listInvites(db, input),
    revokeInvite: async (input) => revokeInvite(db, input),

    isEmailVerified: async (userId) => isEmailVerified(db, userId),
    verifyEmail: async (input) => verifyEmail(db, input),
    resendEmailVerification: async (input) => resendEmailVerification(db, input),

    requestPasswordReset: (input) => requestPasswordReset(db, input),
    sendPasswordReset: async (input) => sendPasswordReset(db, input),
    resetPassword: (input) => resetPassword(db, input),

    listUserIdentities: async (userId) => listUserIdentities(db, userId),
    unlinkIdentity: async (input) => unlinkIdentity(db, input),

    exportUserData: async (input) => exportUserData(db, input),
    deleteOwnAccount: (input) => deleteOwnAccount(db, input),
    deleteAccountByEmail: (input) => deleteAccountByEmail(db, input),
  };
}
