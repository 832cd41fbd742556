import type { enTwoFactor } from './en.twoFactor.ts';

/** 简体中文：两步验证（账户卡片、登录验证码步骤、管理员要求）。 */
export const zhCNTwoFactor: { readonly [K in keyof typeof enTwoFactor]: string } = {
  'twoFactor.title': '两步验证',
  'twoFactor.lead':
    '输入密码后，登录还需要身份验证器应用（Google Authenticator、1Password、Microsoft Authenticator 等）生成的 6 位验证码。',
  'twoFactor.on': '已开启',
  'twoFactor.off': '未开启',
  'twoFactor.enabledSince': '自 {date} 起开启。',
  'twoFactor.recoveryLeft': '剩余恢复码：{count} 个。',
  'twoFactor.enable': '开启',
  'twoFactor.scan': '1. 用身份验证器应用扫描此二维码。',
  'twoFactor.manual': '或手动输入此密钥：',
  'twoFactor.qrAlt': '用于身份验证器应用的二维码',
  'twoFactor.confirmLead': '2. 输入应用显示的 6 位验证码。',
  'twoFactor.code': '验证码',
  'twoFactor.codePlaceholder': '123456',
  'twoFactor.confirm': '开启两步验证',
  'twoFactor.cancel': '取消',
  'twoFactor.recoveryTitle': '请保存恢复码',
  'twoFactor.recoveryLead': '手机丢失时，每个恢复码可登录一次。恢复码只显示这一次，请妥善保存。',
  'twoFactor.copy': '复制恢复码',
  'twoFactor.copied': '恢复码已复制。',
  'twoFactor.saved': '我已保存',
  'twoFactor.enabledToast': '两步验证已开启。',
  'twoFactor.manageCode': '当前验证码（关闭时也可用恢复码）',
  'twoFactor.disable': '关闭',
  'twoFactor.disabledToast': '两步验证已关闭。',
  'twoFactor.regenerate': '生成新的恢复码',
  'twoFactor.adminRequired': '平台管理员必须使用两步验证。开启后即可进入管理控制台。',

  'signIn.codeTitle': '输入验证码',
  'signIn.codeLead': '打开身份验证器应用，输入 Tessera 的 6 位验证码，或输入一个恢复码。',
  'signIn.codeSubmit': '验证',
  'signIn.codeBack': '使用其他账户',
  'signIn.challengeExpired': '登录耗时过长，请重新输入密码。',

  'fieldErrors.TWO_FACTOR_CODE_INVALID': '验证码无效，请输入应用中最新的验证码。',
  'errors.TWO_FACTOR_CODE_INVALID': '验证码无效，请输入应用中最新的验证码。',
  'errors.TWO_FACTOR_CHALLENGE_INVALID': '登录耗时过长，请重新输入密码。',
  'errors.TWO_FACTOR_REQUIRED': '请先在账户中开启两步验证，才能使用管理控制台。',
};
