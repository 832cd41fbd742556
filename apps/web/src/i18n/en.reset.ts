/** English: forgot password, the reset page, and the admin console's mail outbox. */
export const enReset = {
  'signIn.forgot': 'Forgot password?',

  'forgot.title': 'Reset your password',
  'forgot.subtitle':
    'Enter the email of your account and we will mail you a link to set a new password.',
  'forgot.submit': 'Send the link',
  'forgot.sentTitle': 'Check your mail',
  'forgot.sent':
    'If {email} has an account here, a link to set a new password is on its way. It works once, for 30 minutes.',
  'forgot.again': 'Send another link',
  'forgot.backToSignIn': 'Back to sign in',

  'reset.title': 'Set a new password',
  'reset.subtitle': 'Choose a new password. Every session of your account will be signed out.',
  'reset.newPassword': 'New password',
  'reset.confirm': 'Repeat the new password',
  'reset.mismatch': 'The two passwords differ.',
  'reset.submit': 'Set the new password',
  'reset.doneTitle': 'Your password is set',
  'reset.done': 'Sign in with your new password. Every other session was signed out.',
  'reset.toSignIn': 'Sign in',
  'reset.noToken': 'This page needs the link from the reset mail.',
  'reset.askAgain': 'Ask for a new link',

  'errors.RESET_LINK_INVALID': 'This reset link is not valid. Ask for a new one.',
  'errors.RESET_LINK_INVALID.used': 'This reset link was already used. Ask for a new one.',
  'errors.RESET_LINK_INVALID.expired':
    'This reset link has expired (links last 30 minutes). Ask for a new one.',

  'adminNav.outbox': 'Outbox',
  'outbox.title': 'Mail outbox',
  'outbox.lead':
    'Every mail the app sends, newest first. Without SMTP_URL nothing leaves this machine: mails are kept here (status “logged”).',
  'outbox.col.to': 'To',
  'outbox.col.subject': 'Subject',
  'outbox.col.status': 'Status',
  'outbox.col.when': 'When',
  'outbox.status.queued': 'queued',
  'outbox.status.sent': 'sent',
  'outbox.status.failed': 'failed',
  'outbox.status.logged': 'logged',
  'outbox.attempts': '{count} attempts',
  'outbox.empty': 'No mail yet.',
} as const;
