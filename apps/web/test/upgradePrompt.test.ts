import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { UpgradePrompt } from '../src/components/UpgradePrompt.tsx';
import { LocaleContext } from '../src/i18n/LocaleProvider.tsx';
import type { Locale } from '../src/i18n/translate.ts';
import { denialError, localeValue, PRO_UNLOCK } from './helpers.ts';

function render(error: unknown, locale: Locale = 'en'): string {
  return renderToStaticMarkup(
    createElement(
      MemoryRouter,
      null,
      createElement(
        LocaleContext,
        { value: localeValue(locale) },
        createElement(UpgradePrompt, { error }),
      ),
    ),
  );
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('<UpgradePrompt>', () => {
  it('turns a denial into what unlocks it, with a link to the Plans page', () => {
    const html = render(
      denialError('MARK_REQUIRED', {
        missing: { kind: 'marks', marks: ['pro'] },
        unlock: [PRO_UNLOCK],
      }),
    );
    expect(html).toContain('data-testid="upgrade-prompt"');
    expect(html).toContain('data-code="MARK_REQUIRED"');
    expect(text(html)).toContain('This needs a membership you do not hold yet.');
    expect(text(html)).toContain(
      'Needs Pro — Pro monthly $20/mo, 7-day trial · Pro yearly $200/yr',
    );
    expect(html).toMatch(/<a[^>]+href="\/plans"/);
    expect(text(html)).toContain('See plans');
  });

  it('lists every mark that would unlock a feature, in Chinese too', () => {
    const enterprise = {
      markKey: 'enterprise',
      markName: 'Enterprise',
      plans: [
        {
          id: 'e',
          name: 'Enterprise',
          priceMinor: 9900,
          currency: 'usd',
          interval: 'month',
          trialDays: 0,
        },
      ],
    };
    const html = render(
      denialError('FEATURE_NOT_IN_PLAN', {
        missing: { kind: 'feature', feature: 'seo-analysis' },
        unlock: [enterprise, { markKey: 'acme:writer', markName: 'Acme Writer', plans: [] }],
      }),
      'zh-CN',
    );
    expect(html.match(/data-testid="upgrade-unlock"/g)).toHaveLength(2);
    expect(text(html)).toContain('你的套餐不包含 seo-analysis。');
    expect(text(html)).toContain('需要 Enterprise — Enterprise US$99/月');
    expect(text(html)).toContain('需要 Acme Writer — 请联系管理员开通');
    expect(text(html)).toContain('查看套餐');
  });

  it('renders nothing for errors that are not denials', () => {
    expect(render(new Error('offline'))).toBe('');
    expect(render(denialError('NOT_FOUND', null))).toBe('');
  });
});
