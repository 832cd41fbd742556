import type { enBilling } from './en.billing.ts';

export const zhCNBilling: { readonly [K in keyof typeof enBilling]: string } = {
  'plans.subscribe': '订阅',
  'plans.buy': '购买',
  'plans.trialThenCard': '试用结束后 {price}。在试用结束前取消则无需付费。',
  'plans.priceHint': '{price}，通过 Stripe 安全支付。',
  'plans.offline': '暂不支持在线购买',
  'plans.offlineHint': '此处未开通在线支付：请使用兑换码，或联系管理员开通。',
  'plans.notLinked': '暂未在线销售：请联系管理员为你开通。',

  'checkout.success': '付款成功 — 你的套餐稍后会显示在这里。',
  'checkout.cancelled': '已取消结账，未产生任何费用。',

  'creditPacks.title': '积分包',
  'creditPacks.subtitle': '一次性购买的积分，叠加在套餐赠送的额度之上。',
  'creditPacks.credits': '{credits} 积分',
  'creditPacks.buy': '以 {price} 购买',

  'billing.title': '账单',
  'billing.lead': '更改或取消订阅、更新银行卡，并查看以往付款。',
  'billing.manage': '管理账单',
  'billing.offline': '此处未开通在线支付。请使用兑换码，或联系管理员开通套餐。',
  'billing.invoices': '发票',
  'billing.invoicesEmpty': '暂无发票。',
  'billing.col.number': '发票号',
  'billing.col.date': '日期',
  'billing.col.amount': '金额',
  'billing.col.status': '状态',
  'billing.view': '查看',
  'billing.status.paid': '已支付',
  'billing.status.open': '待支付',
  'billing.status.draft': '草稿',
  'billing.status.void': '已作废',
  'billing.status.uncollectible': '无法收款',

  'errors.PAYMENTS_UNAVAILABLE': '此处未开通在线支付。请改用兑换码，或联系管理员。',
  'errors.NOT_FOR_SALE': '目前无法在线购买此项。',
  'errors.ALREADY_SUBSCRIBED': '你已订阅此套餐，可在“账户 → 账单”中管理。',
  'errors.PAYMENT_PROVIDER_ERROR': '支付服务未能正常响应，请重试。',
} as const;
