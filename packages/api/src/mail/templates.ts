// Mail templates: every mail has a plain-text and an HTML part, in the recipient's language
// (en / zh-CN). Everything interpolated into the HTML is escaped; links are only ever http(s).
import { z } from 'zod';
import { type NotificationMailParams, notificationCopies } from './notification-templates.ts';

export const MAIL_LOCALES = ['en', 'zh-CN'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];
export const mailLocaleSchema = z.enum(MAIL_LOCALES);

/** A stored or requested language, or English. */
export function mailLocale(...candidates: (string | null | undefined)[]): MailLocale {
  for (const candidate of candidates) {
    const parsed = mailLocaleSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
  }
  return 'en';
}

export interface MailParams extends NotificationMailParams {
  password_reset: { link: string; minutes: number; email: string };
  verify_email: { link: string; hours: number; email: string };
  signup_invite: { link: string; days: number; email: string };
}
export type MailTemplate = keyof MailParams;

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function safeLink(link: string): string {
  const url = new URL(link);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`refusing to put a ${url.protocol} link into a mail`);
  }
  return url.href;
}

export interface MailCopy {
  subject: string;
  greeting: string;
  lines: string[];
  button: string;
  footer: string;
}

const copies: { [T in MailTemplate]: Record<MailLocale, (p: MailParams[T]) => MailCopy> } = {
  password_reset: {
    en: (p) => ({
      subject: 'Reset your Tessera password',
      greeting: 'Hello,',
      lines: [
        `Someone (hopefully you) asked to reset the password of the Tessera account ${p.email}.`,
        `The link below sets a new password. It works once, for ${p.minutes} minutes, and signs out every session of the account.`,
      ],
      button: 'Set a new password',
      footer: 'If you did not ask for this, ignore this mail: your password stays as it is.',
    }),
    'zh-CN': (p) => ({
      subject: '重置您的 Tessera 密码',
      greeting: '您好：',
      lines: [
        `有人（希望是您本人）请求重置 Tessera 账户 ${p.email} 的密码。`,
        `请通过下面的链接设置新密码。该链接仅可使用一次，${p.minutes} 分钟内有效，使用后该账户的所有会话都将退出登录。`,
      ],
      button: '设置新密码',
      footer: '如果这不是您本人的操作，请忽略此邮件，您的密码不会改变。',
    }),
  },
  verify_email: {
    en: (p) => ({
      subject: 'Confirm your email for Tessera',
      greeting: 'Hello,',
      lines: [
        `Please confirm that ${p.email} is your address for your Tessera account.`,
        `The link below confirms it. It works once, for ${p.hours} hours. Trials, plan codes and purchases open once the address is confirmed.`,
      ],
      button: 'Confirm my email',
      footer: 'If you did not create a Tessera account, ignore this mail.',
    }),
    'zh-CN': (p) => ({
      subject: '确认您的 Tessera 邮箱',
      greeting: '您好：',
      lines: [
        `请确认 ${p.email} 是您 Tessera 账户的邮箱地址。`,
        `请点击下面的链接完成确认。该链接仅可使用一次，${p.hours} 小时内有效。确认邮箱后即可开始试用、兑换套餐码和购买。`,
      ],
      button: '确认我的邮箱',
      footer: '如果您没有注册 Tessera 账户，请忽略此邮件。',
    }),
  },
  signup_invite: {
    en: (p) => ({
      subject: 'You are invited to Tessera',
      greeting: 'Hello,',
      lines: [
        `You have been invited to create a Tessera account for ${p.email}.`,
        `The link below opens the sign-up page. It works once, for ${p.days} days.`,
      ],
      button: 'Create my account',
      footer: 'If you do not want an account, ignore this mail.',
    }),
    'zh-CN': (p) => ({
      subject: '邀请您加入 Tessera',
      greeting: '您好：',
      lines: [
        `您受邀为 ${p.email} 创建 Tessera 账户。`,
        `请通过下面的链接打开注册页面。该链接仅可使用一次，${p.days} 天内有效。`,
      ],
      button: '创建我的账户',
      footer: '如果您不需要账户，请忽略此邮件。',
    }),
  },
  ...notificationCopies,
};

export function renderMail<T extends MailTemplate>(
  template: T,
  locale: MailLocale,
  params: MailParams[T],
): RenderedMail {
  const copy = copies[template][locale](params);
  const link = safeLink(params.link);
  const text = [copy.greeting, '', ...copy.lines, '', `${copy.button}: ${link}`, '', copy.footer]
    .join('\n')
    .concat('\n');
  const paragraphs = copy.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  const html = `<!doctype html>
<html lang="${escapeHtml(locale)}">
<head><meta charset="utf-8"><title>${escapeHtml(copy.subject)}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; color: #1f1f1f">
<p>${escapeHtml(copy.greeting)}</p>
${paragraphs}
<p><a href="${escapeHtml(link)}" style="display: inline-block; padding: 8px 16px; background: #1677ff; color: #fff; text-decoration: none; border-radius: 6px">${escapeHtml(copy.button)}</a></p>
<p style="font-size: 13px; color: #595959">${escapeHtml(link)}</p>
<p style="font-size: 13px; color: #595959">${escapeHtml(copy.footer)}</p>
</body>
</html>
`;
  return { subject: copy.subject, text, html };
}
