/** English: sign-in with an identity provider (OpenID Connect, GitHub) and linked accounts. */
export const enSso = {
  'sso.or': 'or',
  'sso.continueWith': 'Continue with {name}',
  'sso.errorTitle': 'Sign-in did not complete',
  'sso.error.STATE_MISMATCH':
    'This sign-in was not started from this browser, so it was refused. Start again from this page.',
  'sso.error.ATTEMPT_EXPIRED':
    'The sign-in took too long or this browser blocked its cookies. Start again from this page.',
  'sso.error.PROVIDER_ERROR':
    'The identity provider could not confirm who you are. Try again, or sign in with your password.',
  'sso.error.ACCESS_DENIED': 'You cancelled the sign-in at the identity provider.',
  'sso.error.EMAIL_MISSING':
    'The identity provider shared no verified email address, which an account here needs.',
  'sso.error.EMAIL_NOT_VERIFIED':
    'An account with this email exists, but the identity provider has not verified the address, so it cannot be linked. Sign in with your password.',
  'sso.error.ACCOUNT_NOT_VERIFIED':
    'An account with this email exists, but its address was never verified, so it cannot be linked. Sign in with your password and verify your email first.',
  'sso.error.ACCOUNT_DISABLED': 'This account is disabled. Contact an administrator.',
  'sso.error.SIGNUP_CLOSED':
    'No account here uses this address, and sign-up is closed or by invitation only. Ask an administrator for an invite.',
  'sso.error.unknown': 'Sign-in did not complete. Try again.',

  'identities.title': 'Linked sign-in',
  'identities.lead': 'Outside accounts that sign you in to this one.',
  'identities.empty': 'No outside account is linked. Signing in with one links it.',
  'identities.provider.oidc': 'OpenID Connect',
  'identities.provider.github': 'GitHub',
  'identities.unlink': 'Unlink',
  'identities.unlinkConfirm':
    'Stop signing in with this account? You can still sign in with your password; if you never set one, use “Forgot password?”.',
  'identities.unlinked': 'Unlinked.',
  'identities.linkedOn': 'linked {date}',
} as const;
