// The chat's assistant and plugin pickers in the browser. A Free member sees the plugins and the
// demo vendor's assistant locked, each saying what unlocks it. A member holding Pro and Acme Writer
// sends the same message three times, each in a new chat: plainly, through the translate plugin
// (into French), and to the assistant Acme SEO Writer (which answers with Tessera Plus whatever the
// model picker said). Every answer streams from the offline demo model; each prompt shows what it
// was sent with; and the stored answers prove the server applied it: the plugin's instruction and
// the assistant's system prompt are input tokens the plain message does not have, and the
// assistant's answer is stored under its model.
import { getMarkByKey, getUserByEmail, grantMark } from '@tessera/api';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eServer } from './harness.ts';

const server = e2eServer('pickers', { seedDemo: true, demoTokensPerSecond: 80 });

const signUp = (email: string) => server.signUp(email);

function grant(email: string, markKey: string) {
  const db = server.app.database.db;
  grantMark(db, {
    userId: getUserByEmail(db, email).id,
    markId: getMarkByKey(db, markKey).id,
    days: 1,
    source: 'admin',
    actorUserId: null,
    now: new Date(),
  });
}

/** Opens a picker's list and returns the entry with this test id (in the open list). */
async function openOption(page: Page, picker: string, option: string) {
  await page.getByTestId(picker).click();
  const entry = page.locator(`.ant-select-dropdown:visible [data-testid="${option}"]`);
  await entry.waitFor();
  return entry;
}

/**
 * What a picker entry says unlocks it, polled: the list can re-render under us (the member
 * stream's first message refetches the pickers), and reading it once could catch it mid-render.
 */
function unlockText(page: Page, option: string) {
  return expect.poll(() =>
    page
      .locator(`.ant-select-dropdown [data-testid="${option}"] [data-testid="picker-unlock"]`)
      .allTextContents()
      .then((lines) => lines.join('\n')),
  );
}

async function choose(page: Page, picker: string, option: string) {
  await (await openOption(page, picker, option)).click();
  await page.locator(`.ant-select-dropdown:visible [data-testid="${option}"]`).waitFor({
    state: 'hidden',
  });
}

/** Types into the composer and presses Enter. */
async function ask(page: Page, text: string) {
  await page.getByTestId('chat-sender').locator('textarea').fill(text);
  await page.getByTestId('chat-sender').locator('textarea').press('Enter');
}

const answer = (page: Page, phase: string) =>
  page.locator(`[data-testid="chat-answer"][data-phase="${phase}"]`);

/** Sends the message in a new chat, waits for it to stream in and complete; the conversation id. */
async function askInNewChat(page: Page, text: string): Promise<string> {
  await page.getByTestId('chat-new').click();
  await page.getByTestId('chat-welcome').waitFor();
  await ask(page, text);
  await answer(page, 'streaming').filter({ hasText: 'You asked' }).waitFor();
  await answer(page, 'complete').waitFor();
  await page.getByTestId('chat-send').waitFor();
  const id = /\/chat\/([a-z0-9]+)$/.exec(page.url())?.[1];
  if (!id) throw new Error(`Not in a conversation: ${page.url()}`);
  return id;
}

/** The stored answer of a one-exchange conversation, as the server wrote it. */
function storedAnswer(conversationId: string) {
  return server.app.database.sqlite
    .prepare(
      `select model_id as modelId, input_tokens as inputTokens, status from messages
       where conversation_id = ? and role = 'assistant'`,
    )
    .get(conversationId) as { modelId: string; inputTokens: number; status: string };
}

/** The text of the element, or null when the prompt has none. */
async function textOf(locator: Locator): Promise<string | null> {
  return (await locator.count()) > 0 ? await locator.textContent() : null;
}

/**
 * The open conversation as loaded from the server (nothing sent from this tab): what each prompt,
 * in order, shows it was sent with.
 */
async function storedPromptTags(page: Page, exchanges: number) {
  await page
    .locator('[data-testid="chat-answer"][data-status]')
    .nth(exchanges - 1)
    .waitFor();
  const prompts = page.getByTestId('chat-prompt');
  await expect.poll(() => prompts.count()).toBe(exchanges);
  expect(await page.locator('[data-testid="chat-answer"][data-phase]').count()).toBe(0);
  const tags: Array<{ plugin: string | null; assistant: string | null }> = [];
  for (let i = 0; i < exchanges; i += 1) {
    const prompt = prompts.nth(i);
    tags.push({
      plugin: await textOf(prompt.getByTestId('turn-plugin')),
      assistant: await textOf(prompt.getByTestId('turn-assistant')),
    });
  }
  return tags;
}

const MESSAGE = 'Mosaics are pictures made of small tiles called tesserae.';

describe('assistant and plugin pickers in the chat', () => {
  it('shows a Free member the plugins and the vendor assistant locked, with what unlocks them', async () => {
    const { context, page } = await signUp('free@example.com');
    await page.getByTestId('chat-welcome').waitFor();

    // Every plugin is locked on Free; each says which membership (and plans) would unlock it.
    const summarize = await openOption(page, 'plugin-picker', 'plugin-option-summarize');
    for (const id of ['translate', 'summarize', 'seo-analysis']) {
      const entry = page.locator(
        `.ant-select-dropdown:visible [data-testid="plugin-option-${id}"]`,
      );
      expect(await entry.getAttribute('data-locked')).toBe('true');
    }
    await unlockText(page, 'plugin-option-summarize').toContain(
      'Needs Pro — Pro monthly $20/mo, 7-day trial · Pro yearly $200/yr',
    );
    await unlockText(page, 'plugin-option-seo-analysis').toContain('Needs Acme Writer');
    // A locked plugin cannot be chosen.
    await summarize.click();
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('plugin-picker').textContent()).toContain('No plugin');

    // The demo vendor's assistant needs its mark.
    const writer = await openOption(page, 'assistant-picker', 'assistant-option-acme-seo-writer');
    expect(await writer.getAttribute('data-locked')).toBe('true');
    await unlockText(page, 'assistant-option-acme-seo-writer').toContain(
      'Needs Acme Writer — Acme Writer $9/mo, 3-day trial',
    );
    await writer.click();
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('assistant-picker').textContent()).toContain('No assistant');
    await context.close();
  });

  it('sends through a plugin and to an assistant, shows it on the turn, and the server applies it', async () => {
    const email = 'pro@example.com';
    const { context, page } = await signUp(email);
    grant(email, 'pro');
    grant(email, 'acme:writer');
    await page.reload();
    await page.getByTestId('chat-welcome').waitFor();
    await choose(page, 'model-picker', 'model-option-tessera-mini');

    // A plain message first: what the same text costs in input tokens with nothing added.
    const plain = await askInNewChat(page, MESSAGE);
    expect(await page.getByTestId('turn-plugin').count()).toBe(0);

    // The translate plugin, into French: the prompt says so, the answer streams as usual.
    await choose(page, 'plugin-picker', 'plugin-option-translate');
    const language = page.getByTestId('plugin-language');
    expect(await language.textContent()).toContain('简体中文'); // an English reader's default
    await language.click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option[title="Français"]')
      .click();
    await language.filter({ hasText: 'Français' }).waitFor();
    const translated = await askInNewChat(page, MESSAGE);
    const pluginTag = page.getByTestId('chat-prompt').getByTestId('turn-plugin');
    expect(await pluginTag.getAttribute('data-plugin-id')).toBe('translate');
    expect(await pluginTag.textContent()).toBe('Translate into Français');

    // Acme SEO Writer, without the plugin: the assistant decides the model, whatever was picked.
    await choose(page, 'plugin-picker', 'plugin-option-none');
    await choose(page, 'assistant-picker', 'assistant-option-acme-seo-writer');
    const modelPicker = page.getByTestId('model-picker');
    expect(await modelPicker.textContent()).toContain('Tessera Plus');
    expect(await modelPicker.getAttribute('class')).toContain('ant-select-disabled');
    expect(
      await page.getByTestId('chat-sender').locator('textarea').getAttribute('placeholder'),
    ).toBe('Message Acme SEO Writer…');
    const assisted = await askInNewChat(page, MESSAGE);
    const assistantTag = page.getByTestId('chat-prompt').getByTestId('turn-assistant');
    expect(await assistantTag.textContent()).toBe('Acme SEO Writer');
    expect(await page.getByTestId('chat-prompt').getByTestId('turn-plugin').count()).toBe(0);
    expect(await answer(page, 'complete').textContent()).toContain('Tessera Plus');

    // Back to no assistant: the member's own model again.
    await choose(page, 'assistant-picker', 'assistant-option-none');
    await modelPicker.filter({ hasText: 'Tessera Mini' }).waitFor();
    expect(await modelPicker.getAttribute('class')).not.toContain('ant-select-disabled');

    // What the server stored: the plugin's instruction and the assistant's system prompt reached
    // the model (more input tokens for the same text), and the assistant answered with its model.
    const base = storedAnswer(plain);
    const viaPlugin = storedAnswer(translated);
    const viaAssistant = storedAnswer(assisted);
    expect(base).toMatchObject({ modelId: 'tessera-mini', status: 'complete' });
    expect(viaPlugin).toMatchObject({ modelId: 'tessera-mini', status: 'complete' });
    expect(viaAssistant).toMatchObject({ modelId: 'tessera-plus', status: 'complete' });
    expect(viaPlugin.inputTokens).toBeGreaterThan(base.inputTokens);
    expect(viaAssistant.inputTokens).toBeGreaterThan(base.inputTokens);

    // A plain follow-up in the translated conversation, so one thread holds both kinds of prompt.
    await page.goto(`/chat/${translated}`);
    await storedPromptTags(page, 1);
    await ask(page, 'And now without the plugin.');
    await answer(page, 'complete').waitFor();
    await page.getByTestId('chat-send').waitFor();

    // After a reload every prompt still says what it was sent with: the server kept it.
    await page.reload();
    expect(await storedPromptTags(page, 2)).toEqual([
      { plugin: 'Translate into Français', assistant: null },
      { plugin: null, assistant: null },
    ]);
    const storedPlugin = page.getByTestId('chat-prompt').first().getByTestId('turn-plugin');
    expect(await storedPlugin.getAttribute('data-plugin-id')).toBe('translate');

    // Older conversations opened from the list (newest first: translated, assisted, plain).
    await page.getByTestId('conversation-item').nth(1).click();
    await page.waitForURL(`**/chat/${assisted}`);
    expect(await storedPromptTags(page, 1)).toEqual([
      { plugin: null, assistant: 'Acme SEO Writer' },
    ]);
    expect(
      await page
        .getByTestId('chat-prompt')
        .getByTestId('turn-assistant')
        .getAttribute('data-assistant-id'),
    ).toBe('acme-seo-writer');
    await page.getByTestId('conversation-item').nth(2).click();
    await page.waitForURL(`**/chat/${plain}`);
    expect(await storedPromptTags(page, 1)).toEqual([{ plugin: null, assistant: null }]);

    // A built-in plugin is named in the reader's language, stored or not.
    await page.evaluate(() => window.localStorage.setItem('tessera.locale', 'zh-CN'));
    await page.goto(`/chat/${translated}`);
    expect((await storedPromptTags(page, 2))[0]).toEqual({
      plugin: '翻译为Français',
      assistant: null,
    });
    await context.close();
  });
});
