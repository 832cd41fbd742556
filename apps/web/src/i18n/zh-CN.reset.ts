import type { enReset } from './en.reset.ts';

/** 简体中文：忘记密码、重置密码页面，以及管理后台的邮件发件箱。 */
export const zhCNReset: { readonly [K in keyof typeof enReset]: string } = {
  'signIn.forgot': '忘记密码？',

  'forgot.title': '重置密码',
  'forgot.subtitle': '输入您账户的邮箱，我们会发送一封带有设置新密码链接的邮件。',
  'forgot.submit': '发送链接',
  'forgot.sentTitle': '请查收邮件',
  'forgot.sent':
    '如果 {email} 在此有账户，设置新密码的链接已发出。该链接仅可使用一次，30 分钟内有效。',
  'forgot.again': '再发一封',
  'forgot.backToSignIn': '返回登录',

  'reset.title': '设置新密码',
  'reset.subtitle': '请选择新密码。您账户的所有会话都将退出登录。',
  'reset.newPassword': '新密码',
  'reset.confirm': '再次输入新密码',
  'reset.mismatch': '两次输入的密码不一致。',
  'reset.submit': '设置新密码',
  'reset.doneTitle': '新密码已设置',
  'reset.done': '请使用新密码登录。其他会话均已退出。',
  'reset.toSignIn': '登录',
  'reset.noToken': '此页面需要重置邮件中的链接。',
  'reset.askAgain': '重新获取链接',

  'errors.RESET_LINK_INVALID': '此重置链接无效，请重新获取。',
  'errors.RESET_LINK_INVALID.used': '此重置链接已被使用，请重新获取。',
  'errors.RESET_LINK_INVALID.expired': '此重置链接已过期（有效期 30 分钟），请重新获取。',

  'adminNav.outbox': '发件箱',
  'outbox.title': '邮件发件箱',
  'outbox.lead':
    '应用发出的所有邮件，最新的在前。未设置 SMTP_URL 时邮件不会离开本机，而是保存在这里（状态“已记录”）。',
  'outbox.col.to': '收件人',
  'outbox.col.subject': '主题',
  'outbox.col.status': '状态',
  'outbox.col.when': '时间',
  'outbox.status.queued': '排队中',
  'outbox.status.sent': '已发送',
  'outbox.status.failed': '失败',
  'outbox.status.logged': '已记录',
  'outbox.attempts': '已尝试 {count} 次',
  'outbox.empty': '暂无邮件。',
};
