/** English: two-factor authentication (Account card, the sign-in code step, the admin rule). */
export const enTwoFactor = {
  'twoFactor.title': 'Two-factor authentication',
  'twoFactor.lead':
    'After your password, sign-in asks for a 6-digit code from an authenticator app (Google Authenticator, 1Password, Microsoft Authenticator…).',
  'twoFactor.on': 'On',
  'twoFactor.off': 'Off',
  'twoFactor.enabledSince': 'On since {date}.',
  'twoFactor.recoveryLeft': 'Recovery codes left: {count}.',
  'twoFactor.enable': 'Turn on',
  'twoFactor.scan': '1. Scan this QR code with your authenticator app.',
  'twoFactor.manual': 'Or enter this key by hand:',
  'twoFactor.qrAlt': 'QR code for your authenticator app',
  'twoFactor.confirmLead': '2. Enter the 6-digit code the app shows.',
  'twoFactor.code': 'Code',
  'twoFactor.codePlaceholder': '123456',
  'twoFactor.confirm': 'Turn on two-factor authentication',
  'twoFactor.cancel': 'Cancel',
  'twoFactor.recoveryTitle': 'Save your recovery codes',
  'twoFactor.recoveryLead':
    'Each code signs you in once if you lose your phone. They are shown only now: keep them somewhere safe.',
  'twoFactor.copy': 'Copy codes',
  'twoFactor.copied': 'Recovery codes copied.',
  'twoFactor.saved': 'I have saved them',
  'twoFactor.enabledToast': 'Two-factor authentication is on.',
  'twoFactor.manageCode': 'Current code (or a recovery code to turn it off)',
  'twoFactor.disable': 'Turn off',
  'twoFactor.disabledToast': 'Two-factor authentication is off.',
  'twoFactor.regenerate': 'New recovery codes',
  'twoFactor.adminRequired':
    'Platform admins must use two-factor authentication here. Turn it on to open the admin console.',

  'signIn.codeTitle': 'Enter your code',
  'signIn.codeLead':
    'Open your authenticator app and enter the 6-digit code for Tessera, or one of your recovery codes.',
  'signIn.codeSubmit': 'Verify',
  'signIn.codeBack': 'Use another account',
  'signIn.challengeExpired': 'That sign-in took too long. Enter your password again.',

  'fieldErrors.TWO_FACTOR_CODE_INVALID':
    'This code is not valid. Enter the newest code from your app.',
  'errors.TWO_FACTOR_CODE_INVALID': 'This code is not valid. Enter the newest code from your app.',
  'errors.TWO_FACTOR_CHALLENGE_INVALID': 'That sign-in took too long. Enter your password again.',
  'errors.TWO_FACTOR_REQUIRED':
    'Turn on two-factor authentication in Account to use the admin console.',
} as const;
