// Answers as people read them, in the browser. The demo model's text is fixed, so the answer under
// test is stored directly in SQLite (a conversation seeded for the member) and opened: headings, a
// GitHub table, a ```ts block coloured by Shiki with its label and a copy button, `$x^2$` typeset
// by KaTeX, and a hostile `javascript:` link that must not be a link. Copy puts the code (and, on
// the answer, the markdown source) on the real clipboard: the context is granted clipboard
// permissions and the test reads it back with navigator.clipboard.readText(). Search finds the
// conversation by a word only its answer contains; Export downloads files that parse; Esc stops a
// streaming answer. Every request the page makes stays on the app's origin (KaTeX fonts included).
import { readFile } from 'node:fs/promises';
import { getUserByEmail } from '@tessera/api';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eServer } from './harness.ts';

const server = e2eServer('chat-render', { seedDemo: true, demoTokensPerSecond: 20 });

const PROMPT = 'Show me a sample with code, a table and math';
const CODE = 'const greet = (name: string): string => "Hello, " + name;\nexport default greet;';
const ANSWER = [
  '## Mosaic report',
  '',
  'Tesserae are cut from **zanzibarite** glass.',
  '',
  '| Material | Hardness |',
  '|---|---|',
  '| Glass | 5.5 |',
  '| Marble | 3 |',
  '',
  '- [x] sorted',
  '- [ ] grouted',
  '',
  '```ts',
  CODE,
  '```',
  '',
  'The area grows as $x^2$.',
  '',
  '[click me](javascript:alert(document.cookie)) or [docs](https://example.com/docs)',
].join('\n');

let seq = 0;
/** A conversation with one exchange, stored as the engine would have stored it. */
function seedConversation(email: string, title: string, prompt: string, answer: string) {
  const userId = getUserByEmail(server.app.database.db, email).id;
  const id = `seeded${++seq}`;
  const now = Date.now();
  const sqlite = server.app.database.sqlite;
  sqlite
    .prepare(
      `insert into conversations (id, user_id, title, model_id, created_at, updated_at)
       values (?, ?, ?, 'tessera-mini', ?, ?)`,
    )
    .run(id, userId, title, now, now);
  sqlite
    .prepare(
      `insert into messages (id, conversation_id, role, content, created_at) values (?, ?, 'user', ?, ?)`,
    )
    .run(`${id}-q`, id, prompt, now);
  sqlite
    .prepare(
      `insert into messages (id, conversation_id, role, content, request_id, model_id, status,
         input_tokens, output_tokens, credits, created_at)
       values (?, ?, 'assistant', ?, ?, 'tessera-mini', 'complete', 10, 90, 1, ?)`,
    )
    .run(`${id}-a`, id, answer, `req-${id}`, now + 1);
  return id;
}

const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

async function downloaded(page: Page, click: () => Promise<void>): Promise<[Download, string]> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return [download, await readFile(path, 'utf8')];
}

describe('answers in the browser', () => {
  it('render markdown, a table, highlighted code with copy, KaTeX, and no script link', async () => {
    const { context, page } = await server.signUp('reader@example.com');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: server.app.url,
    });
    const offOrigin: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(server.app.url) && !url.startsWith('blob:') && !url.startsWith('data:'))
        offOrigin.push(url);
    });
    const id = seedConversation('reader@example.com', 'Render sample', PROMPT, ANSWER);
    await page.goto(`/chat/${id}`);

    const answer = page.getByTestId('chat-answer').first();
    const markdown = answer.getByTestId('answer-markdown');
    await markdown.waitFor();
    // Markdown: a heading, bold text, a GitHub table, a task list.
    expect(await markdown.locator('h2').textContent()).toBe('Mosaic report');
    expect(await markdown.locator('strong').textContent()).toBe('zanzibarite');
    expect(await markdown.locator('table th').allTextContents()).toEqual(['Material', 'Hardness']);
    expect(await markdown.locator('table tbody tr').count()).toBe(2);
    expect(await markdown.locator('input[type="checkbox"]:checked').count()).toBe(1);
    // No raw markdown left over.
    expect(await markdown.textContent()).not.toContain('|---|');
    expect(await markdown.textContent()).not.toContain('```');

    // Code: labelled, coloured by Shiki once its grammar loads (spans with colours).
    const block = markdown.getByTestId('code-block');
    expect(await block.getByTestId('code-lang').textContent()).toBe('ts');
    await block.locator('pre[data-highlighted="true"]').waitFor();
    const colours = await block
      .locator('pre code span[style*="color"]')
      .evaluateAll((spans) => new Set(spans.map((s) => (s as HTMLElement).style.color)).size);
    expect(colours).toBeGreaterThan(2);
    expect(await block.locator('pre code').textContent()).toBe(CODE);

    // Copy puts exactly the code on the clipboard (the real one: permissions granted above).
    await block.getByTestId('code-copy').click();
    await expect.poll(() => clipboard(page)).toBe(CODE);

    // Math: typeset by KaTeX.
    await markdown.locator('.katex').first().waitFor();
    expect(await markdown.locator('.katex annotation').first().textContent()).toBe('x^2');

    // The hostile link is text, not a javascript: link; the real one opens safely in a new tab.
    expect(await markdown.locator('a[href^="javascript" i]').count()).toBe(0);
    expect(await markdown.locator('.md-link--blocked').textContent()).toBe('click me');
    const docs = markdown.locator('a', { hasText: 'docs' });
    expect(await docs.getAttribute('href')).toBe('https://example.com/docs');
    expect(await docs.getAttribute('target')).toBe('_blank');
    expect(await docs.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    const hrefs = await page
      .locator('a[href]')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((href) => /^\s*(javascript|data|vbscript):/i.test(href))).toEqual([]);

    // Copy on the answer: the markdown source, as the model wrote it.
    await answer.getByTestId('answer-copy').click();
    await expect.poll(() => clipboard(page)).toBe(ANSWER);

    // KaTeX's CSS and fonts, Shiki's grammar: all from the app itself.
    expect(offOrigin).toEqual([]);
    await context.close();
  });

  it('search finds a conversation by a word only its answer contains, and opens it', async () => {
    const { context, page } = await server.signUp('searcher@example.com');
    const wanted = seedConversation(
      'searcher@example.com',
      'Glass notes',
      'Which glass?',
      'Venetian **smalti** is the classic choice.',
    );
    seedConversation('searcher@example.com', 'Stone notes', 'Which stone?', 'Marble, mostly.');
    await page.goto('/chat');
    await page.getByTestId('conversation-item').nth(1).waitFor();

    await page.getByTestId('conversation-search').fill('SMALTI');
    const results = page.getByTestId('conversation-search-result');
    await results.first().waitFor();
    expect(await results.count()).toBe(1);
    expect(await results.first().textContent()).toContain('Glass notes');
    expect(await results.first().textContent()).toContain('Venetian **smalti** is the classic');
    await results.first().click();
    await page.waitForURL(`**/chat/${wanted}`);

    // A word in no conversation: nothing found, said so.
    await page.getByTestId('conversation-search').fill('obsidian');
    await page.getByTestId('conversation-search-empty').waitFor();
    await context.close();
  });

  it('exports a conversation as JSON that parses and Markdown with the prompt and the answer', async () => {
    const { context, page } = await server.signUp('exporter@example.com');
    const id = seedConversation('exporter@example.com', 'Render sample', PROMPT, ANSWER);
    await page.goto(`/chat/${id}`);
    await page.getByTestId('answer-markdown').waitFor();

    await page.getByTestId('chat-export').click();
    const [jsonFile, json] = await downloaded(page, () => page.getByTestId('export-json').click());
    expect(jsonFile.suggestedFilename()).toBe('Render-sample.json');
    const parsed = JSON.parse(json);
    expect(parsed).toMatchObject({ id, title: 'Render sample' });
    expect(
      parsed.messages.map((m: { role: string; content: string }) => [m.role, m.content]),
    ).toEqual([
      ['user', PROMPT],
      ['assistant', ANSWER],
    ]);

    await page.getByTestId('chat-export').click();
    const [mdFile, md] = await downloaded(page, () => page.getByTestId('export-markdown').click());
    expect(mdFile.suggestedFilename()).toBe('Render-sample.md');
    expect(md.startsWith('# Render sample\n')).toBe(true);
    expect(md).toContain(`## You\n\n${PROMPT}`);
    expect(md).toContain(ANSWER);
    await context.close();
  });

  it('Esc stops a streaming answer', async () => {
    const { context, page } = await server.signUp('escaper@example.com');
    await page.getByTestId('chat-welcome').waitFor();
    const textarea = page.getByTestId('chat-sender').locator('textarea');
    await textarea.fill('Tell me everything about mosaics');
    await textarea.press('Enter');
    await page
      .locator('[data-testid="chat-answer"][data-phase="streaming"]')
      .filter({ hasText: 'You asked' })
      .waitFor();
    await page.keyboard.press('Escape');
    await page
      .locator('[data-testid="chat-answer"][data-phase="stopped"]')
      .waitFor({ timeout: 3000 });
    await page.getByTestId('chat-send').waitFor();
    await context.close();
  });
});
