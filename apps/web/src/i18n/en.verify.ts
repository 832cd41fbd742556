/** English: email verification, sign-up modes and invites (decision 022). */
export const enVerify = {
  'verify.banner':
    'Verify your email: we mailed a link to {email}. Trials, plan codes and purchases open once it is verified.',
  'verify.resend': 'Send a new link',
  'verify.resent': 'A new link is on its way to {email}.',
  'verify.alreadyVerified': 'Your email is already verified.',
  'verify.requiredTitle': 'Verify your email first',
  'verify.requiredBody':
    'Trials, plan codes and purchases need a verified email. Open the link we mailed to {email}, or ask for a new one.',
  'verify.later': 'Later',

  'verifyPage.title': 'Verify your email',
  'verifyPage.subtitle': 'Confirming the address of your Tessera account.',
  'verifyPage.checking': 'Checking your link…',
  'verifyPage.doneTitle': 'Your email is verified',
  'verifyPage.done': '{email} is confirmed. Trials, plan codes and purchases are open to you.',
  'verifyPage.toApp': 'Go to Tessera',
  'verifyPage.noToken': 'This page needs the link from the verification mail.',
  'verifyPage.signInToResend': 'Sign in to ask for a new link.',
  'verifyPage.toSignIn': 'Sign in',

  'errors.EMAIL_NOT_VERIFIED':
    'Verify your email first: open the link we mailed you, or ask for a new one.',
  'errors.VERIFY_LINK_INVALID': 'This verification link is not valid.',
  'errors.VERIFY_LINK_INVALID.used': 'This verification link was already used.',
  'errors.VERIFY_LINK_INVALID.expired':
    'This verification link has expired (links last 24 hours). Ask for a new one.',
  'errors.SIGNUP_CLOSED': 'Sign-up is closed on this service.',
  'errors.SIGNUP_CLOSED.invite': 'Sign-up here is by invitation only.',
  'errors.INVITE_INVALID': 'This invite link is not valid.',
  'errors.INVITE_INVALID.used': 'This invite was already used.',
  'errors.INVITE_INVALID.revoked': 'This invite was withdrawn. Ask for a new one.',
  'errors.INVITE_INVALID.expired': 'This invite has expired. Ask for a new one.',

  'signUp.closed': 'Sign-up is closed. Ask the operator of this service for an account.',
  'signUp.inviteOnly': 'Sign-up here is by invitation only. Open the link in your invite mail.',
  'signUp.invitedAs':
    'You are invited as {email}. Sign up with this address and it counts as verified.',

  'users.unverified': 'email unverified',
  'users.unverifiedHint':
    'This address has not been verified: no trials, plan codes or purchases until it is.',
  'adminNav.signup': 'Sign-up',
  'signupAdmin.modeTitle': 'Who may sign up',
  'signupAdmin.modeLead':
    'The first account can always be created (it becomes the admin). Accounts you create here or with the CLI are not affected.',
  'signupAdmin.mode.open': 'Open: anyone',
  'signupAdmin.mode.invite': 'Invite-only',
  'signupAdmin.mode.closed': 'Closed: nobody',
  'signupAdmin.modeSaved': 'Sign-up is now: {mode}.',
  'signupAdmin.inviteTitle': 'Invite someone',
  'signupAdmin.inviteLead':
    'Mails a single-use sign-up link, valid for 7 days. Signing up with the invited address counts it as verified.',
  'signupAdmin.inviteEmail': 'Email',
  'signupAdmin.inviteSend': 'Send invite',
  'signupAdmin.inviteSent': 'Invite mailed to {email}.',
  'signupAdmin.invitesTitle': 'Invites',
  'signupAdmin.col.email': 'Email',
  'signupAdmin.col.status': 'Status',
  'signupAdmin.col.sent': 'Sent',
  'signupAdmin.col.expires': 'Expires',
  'signupAdmin.col.by': 'Invited by',
  'signupAdmin.status.pending': 'pending',
  'signupAdmin.status.used': 'used',
  'signupAdmin.status.revoked': 'revoked',
  'signupAdmin.status.expired': 'expired',
  'signupAdmin.revoke': 'Revoke',
  'signupAdmin.revokeConfirm': 'Revoke the invite to {email}? Its link stops working.',
  'signupAdmin.revoked': 'Invite revoked.',
  'signupAdmin.empty': 'No invites yet.',
} as const;
