// The answer renderer against hostile markdown: a model's text is untrusted (prompt injection can
// make it write anything), so nothing in it may become executable HTML or a script URL.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from '../src/components/markdown/Markdown.tsx';
import { safeUrl } from '../src/components/markdown/safeUrl.ts';
import { LocaleContext } from '../src/i18n/LocaleProvider.tsx';
import { localeValue } from './helpers.ts';

function render(markdown: string): string {
  return renderToStaticMarkup(
    createElement(
      LocaleContext,
      { value: localeValue('en') },
      createElement(Markdown, { text: markdown }),
    ),
  );
}

/** Every href/src/action-like attribute value in the HTML. */
function urls(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src|action|formaction|xlink:href)="([^"]*)"/gi)].map(
    (m) => m[1] ?? '',
  );
}

/** What would run script in a browser: script/iframe/object elements, on* handlers, script URLs. */
function executable(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.matchAll(/<(script|iframe|object|embed|style|form|svg|math)\b/gi)) {
    // KaTeX's MathML output is a <math> element without attributes other than xmlns/display.
    if (tag[1]?.toLowerCase() === 'math') continue;
    found.push(tag[0]);
  }
  for (const handler of html.matchAll(/<[^>]*\son[a-z]+\s*=/gi)) found.push(handler[0]);
  for (const url of urls(html)) {
    const decoded = url.replace(/&amp;/g, '&').replace(/&#x?[0-9a-f]+;/gi, '');
    if (/^\s*(javascript|vbscript|data|file):/i.test(decoded)) found.push(url);
  }
  return found;
}

describe('rendered answers: hostile markdown', () => {
  it('renders markdown at all (a renderer that drops everything would pass the rest)', () => {
    const html = render(
      '# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n[site](https://example.com) $x^2$',
    );
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toMatch(/<table>[\s\S]*<th>a<\/th>[\s\S]*<td>2<\/td>/);
    expect(html).toContain('<input type="checkbox" disabled="" checked=""/> done');
    expect(html).toContain('class="katex"');
  });

  it('never renders raw <script>, and shows no script source as markup', () => {
    const html = render(
      'Hello <script>alert(1)</script>\n\n<script src="https://evil.test/x.js"></script>',
    );
    expect(html).not.toMatch(/<script/i);
    expect(executable(html)).toEqual([]);
    expect(html).toContain('Hello');
  });

  it('drops <img onerror>, <iframe>, <svg onload> and inline event handlers', () => {
    const html = render(
      [
        '<img src=x onerror="alert(1)">',
        '',
        'inline <img src=x onerror=alert(2)> and <a href="javascript:alert(3)" onclick="x()">a</a>',
        '',
        '<iframe src="javascript:alert(4)"></iframe>',
        '',
        '<svg onload=alert(5)><circle/></svg>',
        '',
        '<div style="background:url(javascript:alert(6))">styled</div>',
      ].join('\n'),
    );
    expect(executable(html)).toEqual([]);
    expect(html).not.toMatch(/onerror|onload|onclick/i);
    expect(html).not.toMatch(/<img/i);
  });

  it('turns javascript:, vbscript: and data: links (in every spelling) into plain text', () => {
    const html = render(
      [
        '[x](javascript:alert(1))',
        '[y](JaVaScRiPt:alert(1))',
        '[z](java%0ascript:alert(1))',
        '[t](<java\tscript:alert(1)>)',
        '[v](vbscript:msgbox(1))',
        '[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
        '[r][ref]',
        '',
        '[ref]: javascript:alert(7)',
      ].join('\n\n'),
    );
    expect(executable(html)).toEqual([]);
    expect(urls(html)).toEqual([]);
    // The link text is still there, marked as a refused link.
    expect(html).toContain('<span class="md-link--blocked">x</span>');
    expect(html).toContain('<span class="md-link--blocked">d</span>');
  });

  it('shows images as links, never fetching them, and refuses data: images', () => {
    const html = render(
      '![pixel](https://tracker.test/p.gif?leak=secret) ![d](data:image/svg+xml,<svg onload=alert(1)>)',
    );
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain(
      '<a href="https://tracker.test/p.gif?leak=secret" target="_blank" rel="noopener noreferrer nofollow" class="md-image-link">pixel</a>',
    );
    expect(executable(html)).toEqual([]);
  });

  it('opens external links and autolinks in a new tab without opener, referrer or endorsement', () => {
    const html = render(
      'See [docs](https://example.com/a), <https://auto.test/x> and www.gfm.test.\n\n[local](/plans)',
    );
    expect(html).toContain(
      '<a href="https://example.com/a" target="_blank" rel="noopener noreferrer nofollow">docs</a>',
    );
    expect(html).toContain(
      '<a href="https://auto.test/x" target="_blank" rel="noopener noreferrer nofollow">https://auto.test/x</a>',
    );
    expect(html).toContain(
      '<a href="http://www.gfm.test" target="_blank" rel="noopener noreferrer nofollow">www.gfm.test</a>',
    );
    // Inside the app: an ordinary link.
    expect(html).toContain('<a href="/plans">local</a>');
  });

  it('autolinks never produce script URLs', () => {
    const html = render(
      '<javascript:alert(1)> and <data:text/html,hi> and mailto <mailto:a@b.test>',
    );
    expect(executable(html)).toEqual([]);
    expect(urls(html)).toEqual(['mailto:a@b.test']);
  });

  it('keeps KaTeX inert: \\href with a script URL renders no link', () => {
    const html = render('$\\href{javascript:alert(1)}{click}$ and $$\\url{javascript:alert(2)}$$');
    expect(executable(html)).toEqual([]);
    expect(html).not.toMatch(/href="javascript/i);
    expect(html).toContain('katex');
  });

  it('shows code as text: HTML inside a fence is escaped, not rendered', () => {
    const html = render('```html\n<script>alert(1)</script>\n<img src=x onerror=alert(2)>\n```');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('data-testid="code-block"');
  });
});

describe('safeUrl', () => {
  it.each([
    ['https://example.com/a?b=c', 'https://example.com/a?b=c'],
    ['http://example.com', 'http://example.com'],
    ['mailto:someone@example.com', 'mailto:someone@example.com'],
    ['/plans', '/plans'],
    ['#section', '#section'],
    ['javascript:alert(1)', ''],
    [' \u0001javascript:alert(1)', ''],
    ['java\nscript:alert(1)', ''],
    ['JAVASCRIPT:alert(1)', ''],
    ['data:text/html,<script>alert(1)</script>', ''],
    ['vbscript:msgbox', ''],
    ['file:///etc/passwd', ''],
    ['java%0ascript:alert(1)', ''],
    ['//cdn.example.com/x', '//cdn.example.com/x'],
    ['docs/page?x=a:b', 'docs/page?x=a:b'],
  ])('%j → %j', (input, expected) => {
    expect(safeUrl(input)).toBe(expected);
  });
});
