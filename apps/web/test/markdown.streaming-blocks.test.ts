// Streaming answers are re-rendered block by block: finished blocks keep their source (so the
// memoised renderer skips them) and a half-written code fence stays one growing code block.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { splitBlocks } from '../src/components/markdown/blocks.ts';
import { Markdown } from '../src/components/markdown/Markdown.tsx';
import { LocaleContext } from '../src/i18n/LocaleProvider.tsx';
import { localeValue } from './helpers.ts';

const render = (text: string) =>
  renderToStaticMarkup(
    createElement(LocaleContext, { value: localeValue('en') }, createElement(Markdown, { text })),
  );

describe('splitBlocks', () => {
  it('splits at blank lines, keeping fences and $$ blocks whole', () => {
    const text = [
      '# Title',
      '',
      'A paragraph.',
      '',
      '```ts',
      'const a = 1;',
      '',
      'const b = 2;',
      '```',
      '',
      '$$',
      'x^2',
      '',
      '$$',
      '',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
    ].join('\n');
    expect(splitBlocks(text)).toEqual([
      '# Title',
      'A paragraph.',
      '```ts\nconst a = 1;\n\nconst b = 2;\n```',
      '$$\nx^2\n\n$$',
      '| a | b |\n|---|---|\n| 1 | 2 |',
    ]);
  });

  it('keeps the earlier blocks identical as the answer grows (only the last one changes)', () => {
    const full = 'Intro.\n\n- one\n- two\n\n```py\nprint(1)\nprint(2)\n```\n\nThe end.';
    let previous: string[] = [];
    for (let n = 1; n <= full.length; n++) {
      const blocks = splitBlocks(full.slice(0, n));
      // Every block but the previous last one is unchanged.
      for (let i = 0; i < previous.length - 1; i++) expect(blocks[i]).toBe(previous[i]);
      previous = blocks;
    }
    expect(previous).toHaveLength(4);
  });

  it('keeps an unterminated fence open to the end, blank lines included', () => {
    expect(splitBlocks('Text\n\n```js\nlet a;\n\nlet b;')).toEqual([
      'Text',
      '```js\nlet a;\n\nlet b;',
    ]);
  });

  it('does not split a list item from its indented continuation', () => {
    expect(splitBlocks('1. first\n\n   more of first\n2. second')).toEqual([
      '1. first\n\n   more of first\n2. second',
    ]);
  });
});

describe('a streaming answer renders', () => {
  it('an unterminated code fence as a code block with its language', () => {
    const html = render('Here:\n\n```ts\nconst x: number = 1;\n');
    expect(html).toContain('data-testid="code-block" data-lang="ts"');
    expect(html).toContain('const x: number = 1;');
    expect(html).toMatch(/<span class="md-code__lang" data-testid="code-lang">ts<\/span>/);
  });
});
