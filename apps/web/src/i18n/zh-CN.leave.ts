import type { enLeave } from './en.leave.ts';

/** 简体中文：账户 → 通知、您的数据与危险操作区。 */
export const zhCNLeave: { readonly [K in keyof typeof enLeave]: string } = {
  'notify.title': '通知',
  'notify.lead': '我们就您的账户发送的邮件。每一类都可以关闭。',
  'notify.creditsLow': '额度即将用完',
  'notify.creditsLowHelp': '当某次回答使您的额度低于阈值时提醒（充值前只提醒一次）。',
  'notify.threshold': '阈值',
  'notify.saveThreshold': '保存阈值',
  'notify.membershipEnding': '会员即将到期',
  'notify.membershipEndingHelp': '会员到期前三天提醒（自动续订的套餐除外）。',
  'notify.trialEnding': '试用即将结束',
  'notify.trialEndingHelp': '试用结束前三天提醒。',
  'notify.paymentFailed': '付款失败',
  'notify.paymentFailedHelp': '订阅付款未能成功时提醒。',
  'notify.recent': '最近发送',
  'notify.saved': '通知设置已保存。',

  'myData.title': '您的数据',
  'myData.lead':
    '将我们保存的关于您的全部数据下载为一个 JSON 文件：账户、会员资格、额度流水、对话及其消息，以及 API 密钥的名称（绝不包含密钥本身）。',
  'myData.download': '下载我的数据',
  'myData.ready': '您的数据已下载。',

  'danger.title': '危险操作',
  'danger.lead':
    '删除账户后，您将在所有设备上退出登录，您的会话、API 密钥和对话会被立即永久删除，会员资格随之终止。额度流水和审计记录将为账目保留，但不再包含您的邮箱和姓名。您的邮箱可以重新注册。',
  'danger.open': '删除我的账户',
  'danger.confirmTitle': '确定删除您的账户？',
  'danger.confirmLead': '此操作无法撤销。请输入您的邮箱和当前密码以确认。',
  'danger.email': '您的邮箱',
  'danger.password': '当前密码',
  'danger.code': '身份验证器应用中的验证码（或一个恢复码）',
  'danger.submit': '永久删除我的账户',
  'danger.deleted': '您的账户已删除。',

  'fieldErrors.EMAIL_MISMATCH': '这不是此账户的邮箱。',
  'errors.LAST_OWNER': '您是平台的最后一位所有者。请先将其他人设为所有者，再删除您的账户。',
  'errors.SUBSCRIPTION_ACTIVE': '仍有会自动续订的订阅。请先在“账单”中取消订阅，再删除您的账户。',
};
