/** Trust boundaries: vendor ceilings, suspension and owners, disabled users, password change. */
export const enTrust = {
  'marks.allTitle': 'Marks of every tenant',
  'marks.allTenants': 'All tenants',
  'marks.col.tenant': 'Tenant',
  'marks.readOnly': 'You can only read these.',

  'ceiling.vendorTitle': 'What the platform delegates to you',
  'ceiling.vendorLead':
    'Your marks can grant at most this; the editor offers only these models and plugins.',
  'ceiling.trialUpTo': 'Trials of up to {days} days.',
  'ceiling.noTrials': 'No trials.',
  'ceiling.edit': 'Ceiling',
  'ceiling.editTitle': 'Ceiling of {name}',
  'ceiling.lead':
    'The most this vendor’s marks may grant. Holders are re-checked at once when it is lowered.',
  'ceiling.saved': 'Ceiling saved.',
  'ceiling.trialDays': 'Longest trial (days)',
  'ceiling.trialHint': '0: the vendor’s plans may not offer trials.',

  'vendors.col.status': 'Status',
  'vendors.col.counts': 'Marks · plans · subscribers',
  'vendors.counts': '{marks} · {plans} · {subscribers}',
  'vendors.active': 'Active',
  'vendors.suspended': 'Suspended',
  'vendors.suspend': 'Suspend',
  'vendors.suspendTitle': 'Suspend {name}?',
  'vendors.suspendBody':
    'Its marks grant nothing from the next request on, live answers included. Nothing is deleted.',
  'vendors.suspendedDone': '{name} suspended.',
  'vendors.reinstate': 'Reinstate',
  'vendors.reinstated': '{name} reinstated.',
  'vendors.setOwner': 'Set owner',
  'vendors.setOwnerTitle': 'New owner of {name}',
  'vendors.setOwnerHint': 'The account must exist; the previous owner stays on as an admin.',
  'vendors.ownerSet': '{email} now owns {name}.',
  'vendors.openConsole': 'Open console',

  'vendorConsole.viaPlatform': 'Platform admin',
  'vendorConsole.suspendedNotice':
    'Suspended by the platform: this vendor’s marks grant nothing until it is reinstated.',

  'users.disabled': 'Disabled',
  'users.disabledReason': 'Reason: {reason}',
  'users.disable': 'Disable',
  'users.disableTitle': 'Disable {email}?',
  'users.disableBody':
    'Their sessions end, their API keys stop and live answers are cut. Sign-in is refused until the account is enabled.',
  'users.disabledDone': '{email} disabled; sessions ended: {count}.',
  'users.enable': 'Enable',
  'users.enabledDone': '{email} enabled.',

  'common.close': 'Close',
  'common.reasonOptional': 'Reason (optional)',

  'password.title': 'Change password',
  'password.lead': 'Your other devices are signed out when you change it.',
  'password.current': 'Current password',
  'password.new': 'New password',
  'password.confirm': 'Confirm new password',
  'password.mismatch': 'The two new passwords differ.',
  'password.submit': 'Change password',
  'password.done': 'Password changed. Other sessions signed out: {count}.',
  'fieldErrors.WRONG_PASSWORD': 'This is not your current password.',
} as const;
