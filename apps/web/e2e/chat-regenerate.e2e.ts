// Regenerate and edit-and-resend in the browser (decision 020). Regenerate asks again as a new
// request — a second charge in the ledger — and keeps the first answer: "‹ 2/2 ›" flips between
// them, and the flip is what the server will send the model next. Edit replaces a sent prompt and
// what followed it, and is charged as a request of its own.
import { getUserByEmail } from '@tessera/api';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eServer } from './harness.ts';

const server = e2eServer('chat-regenerate', { seedDemo: true, demoTokensPerSecond: 400 });

async function ask(page: Page, text: string) {
  await page.getByTestId('chat-sender').locator('textarea').fill(text);
  await page.getByTestId('chat-sender').locator('textarea').press('Enter');
}

const completeAnswer = (page: Page) =>
  page.locator(
    '[data-testid="chat-answer"]:not([data-phase="streaming"]):not([data-phase="pending"])',
  );

describe('regenerate and edit in the browser', () => {
  it('regenerates as a second charged request, keeps both answers and flips between them; edit resends', async () => {
    const { context, page } = await server.signUp('regen@example.com');
    const userId = getUserByEmail(server.app.database.db, 'regen@example.com')!.id;
    const sql = server.app.database.sqlite;
    const charges = () =>
      (
        sql
          .prepare("select count(*) as n from credit_ledger where user_id = ? and kind = 'charge'")
          .get(userId) as { n: number }
      ).n;
    const answers = () =>
      sql
        .prepare(
          "select id, content from messages where role = 'assistant' and superseded_at is null order by created_at",
        )
        .all() as { id: string; content: string }[];
    const shown = () =>
      (
        sql.prepare("select shown_answer_id as id from messages where role = 'user'").get() as {
          id: string | null;
        }
      ).id;

    await ask(page, 'Name a colour');
    await completeAnswer(page).filter({ hasText: 'You asked: "Name a colour"' }).waitFor();
    await expect.poll(charges).toBe(1);

    // Regenerate: a new answer streams in under the same prompt; one more charge; two answers kept.
    await page.getByTestId('answer-regenerate').click();
    await page.getByTestId('answer-alternative-index').filter({ hasText: '2/2' }).waitFor();
    await expect.poll(charges).toBe(2);
    expect(answers()).toHaveLength(2);
    expect(await page.getByTestId('chat-prompt').count()).toBe(1);
    expect(await page.getByTestId('chat-answer').count()).toBe(1);
    const [first, second] = answers();
    expect(shown()).toBe(second!.id);

    // Flip back to the first answer and forward again: the server records which one is shown.
    await page.getByTestId('answer-previous').click();
    await page.getByTestId('answer-alternative-index').filter({ hasText: '1/2' }).waitFor();
    await expect.poll(shown).toBe(first!.id);
    await page.getByTestId('answer-next').click();
    await page.getByTestId('answer-alternative-index').filter({ hasText: '2/2' }).waitFor();
    await expect.poll(shown).toBe(second!.id);

    // Survives a reload: both answers are stored.
    await page.reload();
    await page.getByTestId('answer-alternative-index').filter({ hasText: '2/2' }).waitFor();

    // Edit the prompt and resend: the edited prompt replaces the old one and its answers.
    await page.getByTestId('prompt-edit').click();
    await page.getByTestId('prompt-edit-text').fill('Name a shape');
    await page.getByTestId('prompt-edit-send').click();
    await completeAnswer(page).filter({ hasText: 'You asked: "Name a shape"' }).waitFor();
    await expect.poll(charges).toBe(3);
    await page.getByTestId('chat-prompt').filter({ hasText: 'Name a shape' }).waitFor();
    await expect.poll(() => page.getByTestId('chat-prompt').count()).toBe(1);
    expect(await page.getByTestId('chat-prompt').first().textContent()).not.toContain('colour');
    await expect.poll(() => page.getByTestId('answer-alternatives').count()).toBe(0);
    expect(answers().map((a) => a.content.slice(0, 24))).toEqual(['You asked: "Name a shape']);
    await context.close();
  });
});
