/** English: Account → Notifications, Your data and Danger zone (decision 025). */
export const enLeave = {
  'notify.title': 'Notifications',
  'notify.lead': 'Mails we send you about your account. Each one can be turned off.',
  'notify.creditsLow': 'Credits running low',
  'notify.creditsLowHelp':
    'When an answer takes your credits below the threshold (once until you top up).',
  'notify.threshold': 'Threshold',
  'notify.saveThreshold': 'Save threshold',
  'notify.membershipEnding': 'Membership ending',
  'notify.membershipEndingHelp':
    'Three days before a membership ends (not for plans that renew by themselves).',
  'notify.trialEnding': 'Trial ending',
  'notify.trialEndingHelp': 'Three days before a trial ends.',
  'notify.paymentFailed': 'Payment failed',
  'notify.paymentFailedHelp': 'When a subscription payment could not be taken.',
  'notify.recent': 'Sent lately',
  'notify.saved': 'Notification settings saved.',

  'myData.title': 'Your data',
  'myData.lead':
    'Download everything we keep about you as one JSON file: account, memberships, credit ledger, conversations with their messages, and API key names (never the keys).',
  'myData.download': 'Download my data',
  'myData.ready': 'Your data was downloaded.',

  'danger.title': 'Danger zone',
  'danger.lead':
    'Deleting your account signs you out everywhere and deletes your sessions, API keys and conversations, at once and for good. Your memberships end. The credit ledger and audit records are kept for the books, without your email or name. Your email can be used to sign up again.',
  'danger.open': 'Delete my account',
  'danger.confirmTitle': 'Delete your account?',
  'danger.confirmLead':
    'This cannot be undone. Type your email and your current password to confirm.',
  'danger.email': 'Your email',
  'danger.password': 'Current password',
  'danger.code': 'A code from your authenticator app (or a recovery code)',
  'danger.submit': 'Delete my account for good',
  'danger.deleted': 'Your account was deleted.',

  'fieldErrors.EMAIL_MISMATCH': 'This is not the email of this account.',
  'errors.LAST_OWNER':
    'You are the platform’s last owner. Make someone else an owner before deleting your account.',
  'errors.SUBSCRIPTION_ACTIVE':
    'A subscription still renews. Cancel it in Billing before deleting your account.',
} as const;
