import type { enSso } from './en.sso.ts';

/** 简体中文：通过身份提供方（OpenID Connect、GitHub）登录，以及已关联的账户。 */
export const zhCNSso: { readonly [K in keyof typeof enSso]: string } = {
  'sso.or': '或',
  'sso.continueWith': '使用 {name} 继续',
  'sso.errorTitle': '登录未完成',
  'sso.error.STATE_MISMATCH': '此次登录并非从本浏览器发起，已被拒绝。请在本页面重新开始。',
  'sso.error.ATTEMPT_EXPIRED': '登录耗时过长，或本浏览器阻止了所需的 Cookie。请在本页面重新开始。',
  'sso.error.PROVIDER_ERROR': '身份提供方无法确认您的身份。请重试，或使用密码登录。',
  'sso.error.ACCESS_DENIED': '您在身份提供方处取消了登录。',
  'sso.error.EMAIL_MISSING': '身份提供方未提供已验证的邮箱地址，而在此创建账户需要它。',
  'sso.error.EMAIL_NOT_VERIFIED':
    '已有使用此邮箱的账户，但身份提供方尚未验证该地址，因此无法关联。请使用密码登录。',
  'sso.error.ACCOUNT_NOT_VERIFIED':
    '已有使用此邮箱的账户，但该账户的邮箱从未验证，因此无法关联。请先使用密码登录并验证邮箱。',
  'sso.error.ACCOUNT_DISABLED': '此账户已被停用，请联系管理员。',
  'sso.error.SIGNUP_CLOSED': '此地址在这里没有账户，且注册已关闭或仅限邀请。请向管理员索取邀请。',
  'sso.error.unknown': '登录未完成，请重试。',

  'identities.title': '关联登录',
  'identities.lead': '可用于登录本账户的外部账户。',
  'identities.empty': '尚未关联外部账户。使用外部账户登录即可关联。',
  'identities.provider.oidc': 'OpenID Connect',
  'identities.provider.github': 'GitHub',
  'identities.unlink': '取消关联',
  'identities.unlinkConfirm':
    '不再使用此账户登录？您仍可使用密码登录；如果从未设置过密码，请使用“忘记密码？”。',
  'identities.unlinked': '已取消关联。',
  'identities.linkedOn': '关联于 {date}',
};
