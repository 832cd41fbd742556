// When a browser test fails on CI there is nothing to look at afterwards, so a failure prints what
// each of the test's pages showed and logged: console errors, uncaught exceptions, API answers of
// 400 and up, the text of open dialogs, alerts and toasts, and the path of a screenshot.
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export interface PageWatch {
  page: Page;
  log: string[];
}

const KEEP_LINES = 40;

/** Starts recording what `page` logs that a failure report would want. */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { page, log: [] };
  const note = (line: string) => {
    watch.log.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (watch.log.length > KEEP_LINES) watch.log.shift();
  };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      note(`console.${message.type()}: ${message.text().slice(0, 300)}`);
    }
  });
  page.on('pageerror', (error) => note(`uncaught: ${error.message.slice(0, 300)}`));
  page.on('response', (response) => {
    if (response.status() >= 400) note(`HTTP ${response.status()} ${response.url().slice(0, 200)}`);
  });
  return watch;
}

/** Prints each page's URL, visible notices, log and a screenshot path to stderr. */
export async function reportFailure(testName: string, pages: PageWatch[]): Promise<void> {
  const dir = join(tmpdir(), 'tessera-e2e-failures');
  await mkdir(dir, { recursive: true });
  const lines = [`--- browser state for the failed test "${testName}" ---`];
  for (const [index, { page, log }] of pages.entries()) {
    if (page.isClosed()) continue;
    const shot = join(dir, `${testName.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}-${index}.png`);
    const notices = await page
      .locator('.ant-modal:visible, .ant-alert:visible, .ant-message-notice:visible')
      .allInnerTexts()
      .catch(() => []);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
    lines.push(`page ${index}: ${page.url()}  (screenshot: ${shot})`);
    for (const text of notices) lines.push(`  shows: ${text.replace(/\s+/g, ' ').slice(0, 300)}`);
    for (const line of log) lines.push(`  ${line}`);
  }
  process.stderr.write(`${lines.join('\n')}\n`);
}
