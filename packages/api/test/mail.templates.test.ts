import { describe, expect, it } from 'vitest';
import { escapeHtml, mailLocale, renderMail } from '../src/mail/templates.ts';

describe('mail templates', () => {
  const params = { link: 'https://chat.example/reset-password?token=abc.def', minutes: 30 };

  it('have a text and an HTML part in English and in Chinese', () => {
    const en = renderMail('password_reset', 'en', { ...params, email: 'ada@example.com' });
    const zh = renderMail('password_reset', 'zh-CN', { ...params, email: 'ada@example.com' });
    expect(en.subject).toBe('Reset your Tessera password');
    expect(zh.subject).toBe('重置您的 Tessera 密码');
    for (const mail of [en, zh]) {
      expect(mail.text).toContain(params.link);
      expect(mail.html).toContain(`href="${params.link}"`);
    }
    expect(zh.html).toContain('lang="zh-CN"');
  });

  it('verification and invite mails too, each in both languages with both parts', () => {
    const verify = { link: 'https://chat.example/verify-email?token=abc.def', hours: 24 };
    const invite = { link: 'https://chat.example/sign-up?invite=abc.def', days: 7 };
    const mails = [
      renderMail('verify_email', 'en', { ...verify, email: 'ada@example.com' }),
      renderMail('verify_email', 'zh-CN', { ...verify, email: 'ada@example.com' }),
      renderMail('signup_invite', 'en', { ...invite, email: 'ada@example.com' }),
      renderMail('signup_invite', 'zh-CN', { ...invite, email: 'ada@example.com' }),
    ];
    expect(mails.map((m) => m.subject)).toEqual([
      'Confirm your email for Tessera',
      '确认您的 Tessera 邮箱',
      'You are invited to Tessera',
      '邀请您加入 Tessera',
    ]);
    mails.forEach((mail, i) => {
      const link = i < 2 ? verify.link : invite.link;
      expect(mail.text).toContain(link);
      expect(mail.text).toContain('ada@example.com');
      expect(mail.html).toContain(`href="${link}"`);
    });
    expect(mails[1]!.text).toContain('24 小时');
    expect(mails[3]!.text).toContain('7 天');
  });

  it('escape everything interpolated into the HTML', () => {
    const mail = renderMail('password_reset', 'en', {
      link: 'https://chat.example/reset-password?token=a"b<c>&d',
      minutes: 30,
      email: '"><script>alert(1)</script>@example.com',
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.html).not.toMatch(/href="[^"]*"[^ >]/);
    expect(escapeHtml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('refuse links that are not http(s)', () => {
    expect(() =>
      renderMail('password_reset', 'en', {
        link: 'javascript:alert(1)',
        minutes: 30,
        email: 'a@b.c',
      }),
    ).toThrow();
  });

  it('pick the stored language, else the requested one, else English', () => {
    expect(mailLocale('zh-CN', 'en')).toBe('zh-CN');
    expect(mailLocale(null, 'zh-CN')).toBe('zh-CN');
    expect(mailLocale(null, undefined)).toBe('en');
    expect(mailLocale('fr')).toBe('en');
  });
});
