import { enAdmin } from './en.admin.ts';
import { enAnswer } from './en.answer.ts';
import { enApiKeys } from './en.apiKeys.ts';
import { enAssistants } from './en.assistants.ts';
import { enBilling } from './en.billing.ts';
import { enChat } from './en.chat.ts';
import { enCodes } from './en.codes.ts';
import { enCredits } from './en.credits.ts';
import { enImages } from './en.images.ts';
import { enLeave } from './en.leave.ts';
import { enModels } from './en.models.ts';
import { enMoney } from './en.money.ts';
import { enPayments } from './en.payments.ts';
import { enPlans } from './en.plans.ts';
import { enReset } from './en.reset.ts';
import { enSso } from './en.sso.ts';
import { enTrust } from './en.trust.ts';
import { enTwoFactor } from './en.twoFactor.ts';
import { enUsage } from './en.usage.ts';
import { enVendor } from './en.vendor.ts';
import { enVerify } from './en.verify.ts';

/**
 * The source dictionary. Every user-visible string in the SPA lives here, keyed flat by
 * `area.name`. Placeholders are `{name}`; other locales must use the same placeholders
 * (checked by test/i18n.test.ts). Codes from the server (`errors.*`, `fieldErrors.*`) are
 * looked up by code and fall back to a generic message. Larger areas live in their own files
 * (en.plans.ts, en.billing.ts, en.admin.ts, en.vendor.ts, en.usage.ts, en.credits.ts, en.chat.ts,
 * en.apiKeys.ts, en.models.ts, en.assistants.ts, en.trust.ts, en.payments.ts, en.money.ts) and are
 * (en.plans.ts, en.admin.ts, en.vendor.ts, en.usage.ts, en.credits.ts, en.chat.ts,
 * en.apiKeys.ts, en.models.ts, en.assistants.ts, en.trust.ts, en.payments.ts, en.codes.ts) and are
 * merged here.
 */
const core = {
  'app.name': 'Tessera',
  'app.tagline': 'Membership tiers, quotas and credits in front of your AI chat.',
  'app.loading': 'Loading…',
  'app.loadFailed': 'Could not reach the server.',
  'app.retry': 'Try again',
  'app.notFound': 'This page does not exist.',
  'app.backHome': 'Back to the app',
  'app.language': 'Language',

  'auth.feature.tiers': 'Free, Pro and Enterprise plans enforced on the server',
  'auth.feature.quota': 'Daily quotas and credits that refill on schedule',
  'auth.feature.vendors': 'Vendors sell their own assistants and plans',

  'signIn.title': 'Sign in',
  'signIn.subtitle': 'Welcome back. Sign in to continue.',
  'signIn.submit': 'Sign in',
  'signIn.noAccount': 'No account yet?',
  'signIn.toSignUp': 'Create one',

  'signUp.title': 'Create your account',
  'signUp.subtitle': 'Start on the free plan. No card needed.',
  'signUp.submit': 'Create account',
  'signUp.haveAccount': 'Already have an account?',
  'signUp.toSignIn': 'Sign in',
  'signUp.passwordHint': 'At least {min} characters. Avoid common passwords.',

  'field.email': 'Email',
  'field.password': 'Password',
  'field.emailPlaceholder': 'you@example.com',
  'field.passwordPlaceholder': 'Your password',

  'validation.emailRequired': 'Enter your email address.',
  'validation.emailInvalid': 'Enter a valid email address.',
  'validation.passwordRequired': 'Enter your password.',
  'validation.passwordLength': 'Use {min} to {max} characters.',

  'fieldErrors.EMAIL_INVALID': 'Enter a valid email address.',
  'fieldErrors.EMAIL_TAKEN': 'An account with this email already exists.',
  'fieldErrors.PASSWORD_TOO_SHORT': 'The password is too short.',
  'fieldErrors.PASSWORD_TOO_LONG': 'The password is too long.',
  'fieldErrors.PASSWORD_TOO_COMMON': 'This password is too common. Choose another one.',
  'fieldErrors.PASSWORD_IS_EMAIL': 'The password must not be your email address.',
  'fieldErrors.REQUIRED': 'This field is required.',
  'fieldErrors.TOO_LONG': 'This is too long.',
  'fieldErrors.INVALID': 'This value is not valid.',
  'fieldErrors.STRIPE_PRICE_INVALID': 'A Stripe price id starts with price_ (e.g. price_1Pq2…).',
  'fieldErrors.STRIPE_PRICE_TAKEN': 'This Stripe price already sells another plan or pack.',
  'fieldErrors.SLUG_TAKEN': 'This slug is already taken.',
  'fieldErrors.SLUG_INVALID': 'Use lowercase letters, digits and hyphens only.',
  'fieldErrors.SLUG_TOO_LONG': 'Use at most 48 characters.',
  'fieldErrors.SLUG_LOCKED': 'This mark keeps its slug: the system relies on it.',
  'fieldErrors.USER_NOT_FOUND': 'No account uses this email.',
  'fieldErrors.NOT_FOUND': 'It no longer exists.',
  'fieldErrors.TOO_SMALL': 'This number is too small.',
  'fieldErrors.TOO_LARGE': 'This number is too large.',
  'fieldErrors.CURRENCY_INVALID': 'Use a three-letter currency code, e.g. USD.',
  'fieldErrors.INVALID_IDENTIFIER':
    'Model and plugin names use lowercase letters, digits and . _ : / - only.',
  'fieldErrors.OVER_CEILING': 'Above what the platform delegates to this vendor: {value}.',
  'fieldErrors.UNKNOWN_MODEL': 'Not in the model catalog: {value}.',
  'fieldErrors.UNKNOWN_PLUGIN': 'Not in the plugin catalog: {value}.',
  'fieldErrors.INVALID_CHARACTERS':
    'Contains invisible or control characters; remove them and try again.',
  'fieldErrors.INVALID_KEY': 'Contains a field name that is not allowed.',
  'fieldErrors.TOO_DEEP': 'Nested too deeply.',
  'fieldErrors.unknown': 'Invalid value ({code}).',

  'errors.INVALID_CREDENTIALS': 'The email or password is incorrect.',
  'errors.EMAIL_TAKEN': 'An account with this email already exists.',
  'errors.WEAK_PASSWORD': 'This password is too weak.',
  'errors.TOO_MANY_ATTEMPTS': 'Too many attempts. Try again later.',
  'errors.TOO_MANY_ATTEMPTS_RETRY': 'Too many attempts. Try again in {seconds} seconds.',
  'errors.UNAUTHENTICATED': 'Your session has ended. Please sign in again.',
  'errors.FORBIDDEN': 'You do not have permission to do this.',
  'errors.VALIDATION': 'Please check the highlighted fields.',
  'errors.NOT_FOUND': 'It no longer exists.',
  'errors.CSRF_REJECTED': 'The request was blocked for your safety. Reload the page and try again.',
  'errors.PLAN_REQUIRED': 'Your plan does not include this. Upgrade to continue.',
  'errors.CONFLICT': 'Something changed in the meantime. Reload and try again.',
  'errors.TRIAL_USED': 'You have already used your free trial with this seller.',
  'errors.ACCOUNT_DISABLED': 'This account has been disabled. Contact the administrator.',
  'errors.MARK_REQUIRED': 'This needs a membership you do not hold yet.',
  'errors.FEATURE_NOT_IN_PLAN': 'Your plan does not include this feature.',
  'errors.MODEL_NOT_IN_PLAN': 'Your plan does not include this model.',
  'errors.QUOTA_EXCEEDED': 'You have used up your quota for now.',
  'errors.RATE_LIMITED': 'Too many requests. Slow down a little.',
  'errors.INSUFFICIENT_CREDITS': 'You do not have enough credits for this.',
  'errors.network': 'Could not reach the server. Check your connection.',
  'errors.unknown': 'Something went wrong ({code}).',

  'nav.chat': 'Chat',
  'nav.plans': 'Plans',
  'nav.usage': 'Usage',
  'nav.account': 'Account',
  'nav.admin': 'Admin',
  'nav.vendor': 'Vendor',
  'nav.signOut': 'Sign out',
  'nav.signedInAs': 'Signed in as',
  'nav.adminBadge': 'Admin',

  'plans.title': 'Plans',
  'plans.empty': 'No plans to show yet',

  'usage.title': 'Usage',

  'account.title': 'Account',
  'account.profile': 'Profile',
  'account.email': 'Email',
  'account.displayName': 'Display name',
  'account.memberSince': 'Member since',
  'account.role': 'Role',
  'account.rolePlatformAdmin': 'Platform admin',
  'account.roleMember': 'Member',
  'account.sessions': 'Sessions',
  'account.sessionsDetail': 'Devices that are signed in to your account.',
  'account.sessionsEmpty': 'No active sessions',
  'account.thisDevice': 'This device',
  'account.unknownDevice': 'Unknown device',
  'account.unknownIp': 'Unknown',
  'account.col.device': 'Device',
  'account.col.ip': 'IP address',
  'account.col.created': 'Signed in',
  'account.col.lastSeen': 'Last seen',
  'account.col.expires': 'Expires',
  'account.col.actions': 'Actions',
  'account.revoke': 'Revoke',
  'account.revokeConfirm': 'Sign this device out?',
  'account.revoked': 'Session revoked.',
  'account.signOut': 'Sign out',
  'account.signOutEverywhere': 'Sign out everywhere',
  'account.signOutEverywhereConfirm': 'Sign out of all devices, including this one?',
  'account.signedOutEverywhere': 'Sessions signed out: {count}.',
  'account.signOutTitle': 'Sign out',
  'account.signOutDetail': 'End this session, or every session on all your devices.',

  'admin.title': 'Users',
  'admin.subtitle': 'Everyone who has an account on this platform.',
  'admin.search': 'Search by email or name',
  'admin.empty': 'No users found',
  'admin.emptySearch': 'No users match “{search}”',
  'admin.col.email': 'Email',
  'admin.col.displayName': 'Name',
  'admin.col.created': 'Created',
  'admin.col.roles': 'Roles',
  'admin.noRoles': '—',
  'admin.forbidden': 'Only platform admins can see this page.',
  'admin.count': 'Total: {count}',

  'roles.owner': 'Owner',
  'roles.admin': 'Admin',
  'roles.staff': 'Staff',

  'common.confirm': 'Confirm',
  'common.cancel': 'Cancel',
  'common.never': 'Never',
  'common.create': 'Create',
  'common.save': 'Save',
  'common.edit': 'Edit',
  'common.actions': 'Actions',
} as const;

export const en = {
  ...core,
  ...enPlans,
  ...enAdmin,
  ...enVendor,
  ...enUsage,
  ...enCredits,
  ...enChat,
  ...enApiKeys,
  ...enModels,
  ...enAssistants,
  ...enTrust,
  ...enPayments,
  ...enMoney,
  ...enBilling,
  ...enCodes,
  ...enReset,
  ...enTwoFactor,
  ...enSso,
  ...enVerify,
  ...enLeave,
  ...enAnswer,
  ...enImages,
} as const;

export type MessageKey = keyof typeof en;
export type Dictionary = { readonly [K in MessageKey]: string };
