// The four notification mails (decision 025): both languages, a text and an HTML part each, the
// link in both, numbers grouped for the reader, and a vendor's mark name escaped in the HTML.
import { describe, expect, it } from 'vitest';
import { MAIL_LOCALES, renderMail } from '../src/mail/templates.ts';

const link = 'https://chat.example/plans';
const hostile = 'Acme <script>alert(1)</script> & "Pro"';

describe('notification mails', () => {
  const cases = [
    ['credits_low', { link, balance: 12_345, threshold: 100_000 }],
    ['membership_ending', { link, markName: hostile, endsAt: 'December 7, 2026' }],
    ['trial_ending', { link, markName: hostile, endsAt: 'December 7, 2026' }],
    ['payment_failed', { link, planName: hostile }],
  ] as const;

  it.each(cases)('%s: text and HTML in English and Chinese, with the link', (template, params) => {
    const subjects = new Set<string>();
    for (const locale of MAIL_LOCALES) {
      const mail = renderMail(template, locale, params as never);
      subjects.add(mail.subject);
      expect(mail.text).toContain(link);
      expect(mail.html).toContain(`href="${link}"`);
      expect(mail.html).not.toContain('<script>');
      expect(mail.text).toMatch(locale === 'en' ? /Account → Notifications/ : /账户 → 通知/);
    }
    expect(subjects.size).toBe(2);
  });

  it('group the numbers of a credits-low mail for the reader', () => {
    const mail = renderMail('credits_low', 'en', { link, balance: 12_345, threshold: 100_000 });
    expect(mail.text).toContain('12,345 credits left, below the 100,000');
  });
});
