import type { Dictionary } from './en.ts';
import { zhCNAdmin } from './zh-CN.admin.ts';
import { zhCNAnswer } from './zh-CN.answer.ts';
import { zhCNApiKeys } from './zh-CN.apiKeys.ts';
import { zhCNAssistants } from './zh-CN.assistants.ts';
import { zhCNBilling } from './zh-CN.billing.ts';
import { zhCNChat } from './zh-CN.chat.ts';
import { zhCNCodes } from './zh-CN.codes.ts';
import { zhCNCredits } from './zh-CN.credits.ts';
import { zhCNImages } from './zh-CN.images.ts';
import { zhCNLeave } from './zh-CN.leave.ts';
import { zhCNModels } from './zh-CN.models.ts';
import { zhCNMoney } from './zh-CN.money.ts';
import { zhCNPayments } from './zh-CN.payments.ts';
import { zhCNPlans } from './zh-CN.plans.ts';
import { zhCNReset } from './zh-CN.reset.ts';
import { zhCNSso } from './zh-CN.sso.ts';
import { zhCNTrust } from './zh-CN.trust.ts';
import { zhCNTwoFactor } from './zh-CN.twoFactor.ts';
import { zhCNUsage } from './zh-CN.usage.ts';
import { zhCNVendor } from './zh-CN.vendor.ts';
import { zhCNVerify } from './zh-CN.verify.ts';

/** Simplified Chinese. Typed as the full dictionary: a missing or extra key is a type error. */
export const zhCN: Dictionary = {
  ...zhCNPlans,
  ...zhCNAdmin,
  ...zhCNVendor,
  ...zhCNUsage,
  ...zhCNCredits,
  ...zhCNChat,
  ...zhCNApiKeys,
  ...zhCNModels,
  ...zhCNAssistants,
  ...zhCNTrust,
  ...zhCNPayments,
  ...zhCNMoney,
  ...zhCNBilling,
  ...zhCNCodes,
  ...zhCNReset,
  ...zhCNTwoFactor,
  ...zhCNSso,
  ...zhCNVerify,
  ...zhCNLeave,
  ...zhCNAnswer,
  ...zhCNImages,
  'app.name': 'Tessera',
  'app.tagline': '在 AI 对话服务之前，统一管理会员等级、配额与积分。',
  'app.loading': '加载中…',
  'app.loadFailed': '无法连接服务器。',
  'app.retry': '重试',
  'app.notFound': '页面不存在。',
  'app.backHome': '返回应用',
  'app.language': '语言',

  'auth.feature.tiers': '免费版、专业版与企业版，由服务端统一校验',
  'auth.feature.quota': '每日配额与积分，按计划自动补充',
  'auth.feature.vendors': '服务商可销售自己的助手与套餐',

  'signIn.title': '登录',
  'signIn.subtitle': '欢迎回来，请登录以继续。',
  'signIn.submit': '登录',
  'signIn.noAccount': '还没有账户？',
  'signIn.toSignUp': '立即注册',

  'signUp.title': '创建账户',
  'signUp.subtitle': '从免费套餐开始，无需绑定银行卡。',
  'signUp.submit': '创建账户',
  'signUp.haveAccount': '已有账户？',
  'signUp.toSignIn': '登录',
  'signUp.passwordHint': '至少 {min} 个字符，请避免使用常见密码。',

  'field.email': '邮箱',
  'field.password': '密码',
  'field.emailPlaceholder': 'you@example.com',
  'field.passwordPlaceholder': '请输入密码',

  'validation.emailRequired': '请输入邮箱地址。',
  'validation.emailInvalid': '请输入有效的邮箱地址。',
  'validation.passwordRequired': '请输入密码。',
  'validation.passwordLength': '密码长度须为 {min} 到 {max} 个字符。',

  'fieldErrors.EMAIL_INVALID': '请输入有效的邮箱地址。',
  'fieldErrors.EMAIL_TAKEN': '该邮箱已注册。',
  'fieldErrors.PASSWORD_TOO_SHORT': '密码太短。',
  'fieldErrors.PASSWORD_TOO_LONG': '密码太长。',
  'fieldErrors.PASSWORD_TOO_COMMON': '该密码过于常见，请换一个。',
  'fieldErrors.PASSWORD_IS_EMAIL': '密码不能与邮箱地址相同。',
  'fieldErrors.REQUIRED': '此项为必填项。',
  'fieldErrors.TOO_LONG': '内容过长。',
  'fieldErrors.INVALID': '该值无效。',
  'fieldErrors.STRIPE_PRICE_INVALID': 'Stripe 价格 ID 以 price_ 开头（例如 price_1Pq2…）。',
  'fieldErrors.STRIPE_PRICE_TAKEN': '该 Stripe 价格已用于其他套餐或积分包。',
  'fieldErrors.SLUG_TAKEN': '该短标识已被占用。',
  'fieldErrors.SLUG_INVALID': '只能使用小写字母、数字和连字符。',
  'fieldErrors.SLUG_TOO_LONG': '最多 48 个字符。',
  'fieldErrors.SLUG_LOCKED': '该会员标识的短标识不可修改：系统依赖它。',
  'fieldErrors.USER_NOT_FOUND': '没有使用该邮箱的账户。',
  'fieldErrors.NOT_FOUND': '该内容已不存在。',
  'fieldErrors.TOO_SMALL': '数值太小。',
  'fieldErrors.TOO_LARGE': '数值太大。',
  'fieldErrors.CURRENCY_INVALID': '请使用三位字母的货币代码，例如 USD。',
  'fieldErrors.INVALID_IDENTIFIER': '模型和插件名称只能使用小写字母、数字及 . _ : / -。',
  'fieldErrors.OVER_CEILING': '超出平台授予该供应商的上限：{value}。',
  'fieldErrors.UNKNOWN_MODEL': '模型目录中没有：{value}。',
  'fieldErrors.UNKNOWN_PLUGIN': '插件目录中没有：{value}。',
  'fieldErrors.INVALID_CHARACTERS': '包含不可见字符或控制字符，请删除后重试。',
  'fieldErrors.INVALID_KEY': '包含不允许的字段名。',
  'fieldErrors.TOO_DEEP': '嵌套层级过深。',
  'fieldErrors.unknown': '无效的值（{code}）。',

  'errors.INVALID_CREDENTIALS': '邮箱或密码不正确。',
  'errors.EMAIL_TAKEN': '该邮箱已注册。',
  'errors.WEAK_PASSWORD': '密码强度不足。',
  'errors.TOO_MANY_ATTEMPTS': '尝试次数过多，请稍后再试。',
  'errors.TOO_MANY_ATTEMPTS_RETRY': '尝试次数过多，请在 {seconds} 秒后重试。',
  'errors.UNAUTHENTICATED': '会话已结束，请重新登录。',
  'errors.FORBIDDEN': '你没有执行此操作的权限。',
  'errors.VALIDATION': '请检查标出的字段。',
  'errors.NOT_FOUND': '该内容已不存在。',
  'errors.CSRF_REJECTED': '为保障安全，该请求已被拦截。请刷新页面后重试。',
  'errors.PLAN_REQUIRED': '你的套餐不包含此功能，请升级后继续。',
  'errors.CONFLICT': '数据已发生变化，请刷新后重试。',
  'errors.TRIAL_USED': '你已使用过该商家的免费试用。',
  'errors.ACCOUNT_DISABLED': '该账户已被停用，请联系管理员。',
  'errors.MARK_REQUIRED': '此功能需要你尚未拥有的会员资格。',
  'errors.FEATURE_NOT_IN_PLAN': '你的套餐不包含此功能。',
  'errors.MODEL_NOT_IN_PLAN': '你的套餐不包含此模型。',
  'errors.QUOTA_EXCEEDED': '你当前的配额已用完。',
  'errors.RATE_LIMITED': '请求过于频繁，请稍后再试。',
  'errors.INSUFFICIENT_CREDITS': '你的积分不足。',
  'errors.network': '无法连接服务器，请检查网络连接。',
  'errors.unknown': '出现错误（{code}）。',

  'nav.chat': '对话',
  'nav.plans': '套餐',
  'nav.usage': '用量',
  'nav.account': '账户',
  'nav.admin': '管理',
  'nav.vendor': '服务商',
  'nav.signOut': '退出登录',
  'nav.signedInAs': '当前登录',
  'nav.adminBadge': '管理员',

  'plans.title': '套餐',
  'plans.empty': '暂无套餐',

  'usage.title': '用量',

  'account.title': '账户',
  'account.profile': '个人资料',
  'account.email': '邮箱',
  'account.displayName': '显示名称',
  'account.memberSince': '注册时间',
  'account.role': '角色',
  'account.rolePlatformAdmin': '平台管理员',
  'account.roleMember': '成员',
  'account.sessions': '登录会话',
  'account.sessionsDetail': '当前已登录你账户的设备。',
  'account.sessionsEmpty': '没有活动会话',
  'account.thisDevice': '当前设备',
  'account.unknownDevice': '未知设备',
  'account.unknownIp': '未知',
  'account.col.device': '设备',
  'account.col.ip': 'IP 地址',
  'account.col.created': '登录时间',
  'account.col.lastSeen': '最近活动',
  'account.col.expires': '过期时间',
  'account.col.actions': '操作',
  'account.revoke': '注销',
  'account.revokeConfirm': '要让该设备退出登录吗？',
  'account.revoked': '会话已注销。',
  'account.signOut': '退出登录',
  'account.signOutEverywhere': '退出所有设备',
  'account.signOutEverywhereConfirm': '要退出所有设备（包括当前设备）吗？',
  'account.signedOutEverywhere': '已退出 {count} 个会话。',
  'account.signOutTitle': '退出登录',
  'account.signOutDetail': '结束当前会话，或结束你在所有设备上的会话。',

  'admin.title': '用户',
  'admin.subtitle': '平台上的所有注册用户。',
  'admin.search': '按邮箱或名称搜索',
  'admin.empty': '未找到用户',
  'admin.emptySearch': '没有与“{search}”匹配的用户',
  'admin.col.email': '邮箱',
  'admin.col.displayName': '名称',
  'admin.col.created': '创建时间',
  'admin.col.roles': '角色',
  'admin.noRoles': '—',
  'admin.forbidden': '只有平台管理员可以查看此页面。',
  'admin.count': '共 {count} 位用户',

  'roles.owner': '所有者',
  'roles.admin': '管理员',
  'roles.staff': '员工',

  'common.confirm': '确认',
  'common.cancel': '取消',
  'common.never': '从不',
  'common.create': '创建',
  'common.save': '保存',
  'common.edit': '编辑',
  'common.actions': '操作',
};
