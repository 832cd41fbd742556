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
