// The words of the notification mails (decision 025), in both languages. Every one ends with a
// link to Account, where each kind can be turned off.
import type { MailCopy, MailLocale } from './templates.ts';

export interface NotificationMailParams {
  credits_low: { link: string; balance: number; threshold: number };
  membership_ending: { link: string; markName: string; endsAt: string };
  trial_ending: { link: string; markName: string; endsAt: string };
  payment_failed: { link: string; planName: string };
}

const number = (locale: MailLocale, n: number) => new Intl.NumberFormat(locale).format(n);

const OFF_EN = 'You can turn these mails off in Account → Notifications.';
const OFF_ZH = '您可以在“账户 → 通知”中关闭此类邮件。';

export const notificationCopies: {
  [T in keyof NotificationMailParams]: Record<
    MailLocale,
    (p: NotificationMailParams[T]) => MailCopy
  >;
} = {
  credits_low: {
    en: (p) => ({
      subject: 'Your Tessera credits are running low',
      greeting: 'Hello,',
      lines: [
        `You have ${number('en', p.balance)} credits left, below the ${number('en', p.threshold)} you asked to be told about.`,
        'Top up or upgrade to keep chatting without interruption.',
      ],
      button: 'See your credits',
      footer: OFF_EN,
    }),
    'zh-CN': (p) => ({
      subject: '您的 Tessera 额度即将用完',
      greeting: '您好：',
      lines: [
        `您的剩余额度为 ${number('zh-CN', p.balance)}，已低于您设定的提醒阈值 ${number('zh-CN', p.threshold)}。`,
        '请充值或升级套餐，以免对话中断。',
      ],
      button: '查看额度',
      footer: OFF_ZH,
    }),
  },
  membership_ending: {
    en: (p) => ({
      subject: `Your ${p.markName} membership ends soon`,
      greeting: 'Hello,',
      lines: [
        `Your ${p.markName} membership ends on ${p.endsAt}.`,
        'Renew it to keep what it gives you.',
      ],
      button: 'Renew',
      footer: OFF_EN,
    }),
    'zh-CN': (p) => ({
      subject: `您的 ${p.markName} 会员即将到期`,
      greeting: '您好：',
      lines: [`您的 ${p.markName} 会员将于 ${p.endsAt} 到期。`, '续订即可继续享有相应权益。'],
      button: '续订',
      footer: OFF_ZH,
    }),
  },
  trial_ending: {
    en: (p) => ({
      subject: `Your ${p.markName} trial ends soon`,
      greeting: 'Hello,',
      lines: [
        `Your ${p.markName} trial ends on ${p.endsAt}.`,
        'Choose a plan to keep what the trial gave you.',
      ],
      button: 'Choose a plan',
      footer: OFF_EN,
    }),
    'zh-CN': (p) => ({
      subject: `您的 ${p.markName} 试用即将结束`,
      greeting: '您好：',
      lines: [`您的 ${p.markName} 试用将于 ${p.endsAt} 结束。`, '选择一个套餐即可继续使用。'],
      button: '选择套餐',
      footer: OFF_ZH,
    }),
  },
  payment_failed: {
    en: (p) => ({
      subject: 'A payment for your Tessera plan failed',
      greeting: 'Hello,',
      lines: [
        `We could not take the payment for ${p.planName}.`,
        'Update your payment method so your plan does not end.',
      ],
      button: 'Update payment method',
      footer: OFF_EN,
    }),
    'zh-CN': (p) => ({
      subject: '您的 Tessera 套餐付款失败',
      greeting: '您好：',
      lines: [`${p.planName} 的付款未能成功。`, '请更新付款方式，以免套餐中止。'],
      button: '更新付款方式',
      footer: OFF_ZH,
    }),
  },
};
