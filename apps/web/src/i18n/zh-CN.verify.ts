import type { enVerify } from './en.verify.ts';

/** 简体中文：邮箱验证、注册方式与邀请（决策 022）。 */
export const zhCNVerify: { readonly [K in keyof typeof enVerify]: string } = {
  'verify.banner':
    '请验证您的邮箱：我们已向 {email} 发送了验证链接。邮箱验证后即可开始试用、兑换套餐码和购买。',
  'verify.resend': '重新发送链接',
  'verify.resent': '新的验证链接已发往 {email}。',
  'verify.alreadyVerified': '您的邮箱已经验证。',
  'verify.requiredTitle': '请先验证邮箱',
  'verify.requiredBody':
    '试用、兑换套餐码和购买都需要已验证的邮箱。请打开我们发送到 {email} 的链接，或重新获取一个。',
  'verify.later': '稍后',

  'verifyPage.title': '验证邮箱',
  'verifyPage.subtitle': '确认您 Tessera 账户的邮箱地址。',
  'verifyPage.checking': '正在检查您的链接…',
  'verifyPage.doneTitle': '邮箱已验证',
  'verifyPage.done': '{email} 已确认。您现在可以开始试用、兑换套餐码和购买。',
  'verifyPage.toApp': '进入 Tessera',
  'verifyPage.noToken': '此页面需要通过验证邮件中的链接打开。',
  'verifyPage.signInToResend': '登录后可重新获取链接。',
  'verifyPage.toSignIn': '登录',

  'errors.EMAIL_NOT_VERIFIED': '请先验证邮箱：打开我们发送给您的链接，或重新获取一个。',
  'errors.VERIFY_LINK_INVALID': '此验证链接无效。',
  'errors.VERIFY_LINK_INVALID.used': '此验证链接已被使用。',
  'errors.VERIFY_LINK_INVALID.expired': '此验证链接已过期（链接有效期为 24 小时），请重新获取。',
  'errors.SIGNUP_CLOSED': '本服务已关闭注册。',
  'errors.SIGNUP_CLOSED.invite': '本服务仅限受邀注册。',
  'errors.INVITE_INVALID': '此邀请链接无效。',
  'errors.INVITE_INVALID.used': '此邀请已被使用。',
  'errors.INVITE_INVALID.revoked': '此邀请已被撤回，请重新申请。',
  'errors.INVITE_INVALID.expired': '此邀请已过期，请重新申请。',

  'signUp.closed': '注册已关闭。如需账户，请联系本服务的运营者。',
  'signUp.inviteOnly': '本服务仅限受邀注册。请打开邀请邮件中的链接。',
  'signUp.invitedAs': '您以 {email} 的身份受邀。使用此地址注册，邮箱将视为已验证。',

  'adminNav.signup': '注册',
  'signupAdmin.modeTitle': '谁可以注册',
  'signupAdmin.modeLead':
    '第一个账户始终可以创建（它将成为管理员）。在此处或通过命令行创建的账户不受影响。',
  'signupAdmin.mode.open': '开放：任何人',
  'signupAdmin.mode.invite': '仅限邀请',
  'signupAdmin.mode.closed': '关闭：任何人都不可',
  'signupAdmin.modeSaved': '注册方式已设为：{mode}。',
  'signupAdmin.inviteTitle': '邀请他人',
  'signupAdmin.inviteLead':
    '发送一个一次性注册链接，7 天内有效。使用受邀地址注册，邮箱将视为已验证。',
  'signupAdmin.inviteEmail': '邮箱',
  'signupAdmin.inviteSend': '发送邀请',
  'signupAdmin.inviteSent': '邀请已发送至 {email}。',
  'signupAdmin.invitesTitle': '邀请',
  'signupAdmin.col.email': '邮箱',
  'signupAdmin.col.status': '状态',
  'signupAdmin.col.sent': '发送时间',
  'signupAdmin.col.expires': '过期时间',
  'signupAdmin.col.by': '邀请人',
  'signupAdmin.status.pending': '待使用',
  'signupAdmin.status.used': '已使用',
  'signupAdmin.status.revoked': '已撤回',
  'signupAdmin.status.expired': '已过期',
  'signupAdmin.revoke': '撤回',
  'signupAdmin.revokeConfirm': '撤回发给 {email} 的邀请？其链接将失效。',
  'signupAdmin.revoked': '邀请已撤回。',
  'signupAdmin.empty': '还没有邀请。',
};
