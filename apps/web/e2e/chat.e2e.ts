// Chat in the browser: a Free member's answer streams in and completes (charge, meter, sidebar),
// then the daily limit refuses the next message and says when it resets. A Pro member's answer
// with tessera-plus is cut off live when an admin revokes Pro mid-stream: the partial answer stays
// with the upgrade action, without a reload. Stop ends an answer on the server at once (it does not
// wait out the grace a dropped connection gets to reconnect) and the stopped answer shows its charge.
// A failed answer found stored (after a reload) offers Retry, which asks its prompt again.
// The built SPA is served by the real server (in-process, fresh SQLite file, demo catalog, the
// offline demo model at 40 tokens a second).
import { getMarkByKey, getUserByEmail, grantMark, revokeMark } from '@tessera/api';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eServer } from './harness.ts';

const server = e2eServer('chat', { seedDemo: true, demoTokensPerSecond: 40 });

const signUp = (email: string) => server.signUp(email);

/** Types into the composer and presses Enter. */
async function ask(page: Page, text: string) {
  await page.getByTestId('chat-sender').locator('textarea').fill(text);
  await page.getByTestId('chat-sender').locator('textarea').press('Enter');
}

const answer = (page: Page, phase: string) =>
  page.locator(`[data-testid="chat-answer"][data-phase="${phase}"]`);

const waitForText = (page: Page, testId: string, text: string) =>
  page.getByTestId(testId).filter({ hasText: text }).first().waitFor();

const markNotReloaded = (page: Page) =>
  page.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });
const notReloaded = (page: Page) =>
  page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded);

/** Today's daily counter for a member, raised to the Free plan's limit of 20. */
function useUpDailyQuota(userId: string) {
  const midnight = new Date();
  midnight.setUTCHours(0, 0, 0, 0); // the app's time zone is UTC
  server.app.database.sqlite
    .prepare(
      `insert into usage_counters (user_id, window, period_start, requests) values (?, 'day', ?, 20)
       on conflict do update set requests = 20`,
    )
    .run(userId, midnight.getTime());
}

describe('chat in the browser', () => {
  it('streams a Free member’s answer, then refuses at the daily limit with its reset time', async () => {
    const admin = await signUp('admin@example.com');
    const { context, page } = await signUp('free@example.com');

    // A new chat: the greeting, no conversations yet, Free's only model chosen, a fresh meter.
    await page.getByTestId('chat-welcome').waitFor();
    await page.getByTestId('conversations-empty').waitFor();
    expect(await page.getByTestId('model-picker').textContent()).toContain('Tessera Mini');
    await waitForText(page, 'chat-meter-today', 'Today: 0 / 20 requests');
    await markNotReloaded(page);

    // The prompt shows at once; the answer streams in; the URL moves to the new conversation.
    await ask(page, 'What is a tessera?');
    await page.getByTestId('chat-prompt').filter({ hasText: 'What is a tessera?' }).waitFor();
    await answer(page, 'streaming').filter({ hasText: 'You asked' }).waitFor();
    await page.getByTestId('chat-stop').waitFor();
    await page.waitForURL(/\/chat\/[a-z0-9]+$/);
    await page.getByTestId('conversation-item').filter({ hasText: 'What is a tessera?' }).waitFor();

    // Done: the whole answer, what it cost, the meter counts it.
    const done = answer(page, 'complete');
    await done.waitFor();
    expect(await done.textContent()).toContain('to talk to a real model instead.');
    expect(await done.getByTestId('answer-charged').textContent()).toMatch(/^\d+ credits$/);
    await waitForText(page, 'chat-meter-today', 'Today: 1 / 20 requests');
    await page.getByTestId('chat-send').waitFor();

    // The daily limit is reached: the next message is refused in place of an answer, saying when
    // the requests come back (tomorrow, 00:00 UTC) with a countdown.
    useUpDailyQuota(getUserByEmail(server.app.database.db, 'free@example.com').id);
    await ask(page, 'And one more?');
    const refusal = page.locator('[data-testid="chat-refusal"][data-code="QUOTA_EXCEEDED"]');
    await refusal.waitFor();
    const resetsAt = new Date();
    resetsAt.setUTCHours(24, 0, 0, 0);
    const time = new Intl.DateTimeFormat('en-US', {
      year: resetsAt.getFullYear() === new Date().getFullYear() ? undefined : 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
    }).format(resetsAt);
    expect(await refusal.textContent()).toContain(
      `You have used all of today’s requests. They come back ${time}.`,
    );
    expect(await refusal.getByTestId('chat-refusal-reset').textContent()).toMatch(/Back in \d+h/);
    await refusal.getByTestId('chat-refusal-plans').waitFor();
    await waitForText(page, 'chat-meter-today', 'Today: 20 / 20 requests');
    // Nothing was stored for the refusal: one exchange in the conversation.
    expect(await page.getByTestId('chat-prompt').count()).toBe(2);
    expect(await notReloaded(page)).toBe(true);

    // Reloaded, the stored exchange is there without any status tag.
    await page.reload();
    await page.getByTestId('chat-answer').first().waitFor();
    expect(await page.getByTestId('chat-answer').count()).toBe(1);
    expect(await page.getByTestId('answer-status').count()).toBe(0);
    await context.close();
    await admin.context.close();
  });

  it('stops an answer on the server at once, not after the reconnect grace', async () => {
    const { context, page } = await signUp('stop@example.com');
    await page.getByTestId('chat-welcome').waitFor();
    await ask(page, 'Tell me everything about mosaics');
    await answer(page, 'streaming').filter({ hasText: 'You asked' }).waitFor();
    await page.waitForURL(/\/chat\/[a-z0-9]+$/);
    const conversationId = page.url().split('/').at(-1);
    await page.getByTestId('chat-stop').click();

    // The answer is settled as aborted well within the grace (10 s) a dropped connection gets.
    const stored = () =>
      server.app.database.sqlite
        .prepare(`select status from messages where conversation_id = ? and role = 'assistant'`)
        .get(conversationId) as { status: string } | undefined;
    await expect.poll(stored, { timeout: 4000, interval: 100 }).toEqual({ status: 'aborted' });

    // The partial answer stays, tagged Stopped, with what it cost once the server has settled it.
    const stopped = answer(page, 'stopped');
    const partial = (await stopped.textContent()) ?? '';
    expect(partial).toContain('You asked');
    expect(partial).not.toContain('to talk to a real model instead.');
    await stopped.locator('[data-testid="answer-status"][data-status="aborted"]').waitFor();
    await stopped.getByTestId('answer-charged').waitFor({ timeout: 4000 });
    await page.getByTestId('chat-send').waitFor();
    await context.close();
  });

  it('offers Retry on a failed answer found stored, and sends its prompt again', async () => {
    const { context, page } = await signUp('retry@example.com');
    await page.getByTestId('chat-welcome').waitFor();
    // An answer the model failed earlier (another tab, before a reload): stored with status error.
    const user = getUserByEmail(server.app.database.db, 'retry@example.com')!;
    const at = Date.now() - 60_000;
    const sqlite = server.app.database.sqlite;
    sqlite
      .prepare(
        `insert into conversations (id, user_id, title, model_id, created_at, updated_at)
         values ('failedchat', ?, 'Why is the sky blue?', 'tessera-mini', ?, ?)`,
      )
      .run(user.id, at, at);
    const store = sqlite.prepare(
      `insert into messages (id, conversation_id, role, content, request_id, model_id, status,
         input_tokens, output_tokens, credits, created_at)
       values (?, 'failedchat', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    store.run('m1', 'user', 'Why is the sky blue?', null, null, null, null, null, null, at);
    store.run('m2', 'assistant', '', 'failed-req', 'tessera-mini', 'error', 9, 0, 0, at + 1);

    await page.goto('/chat/failedchat');
    const failed = page.locator('[data-testid="chat-answer"][data-status="error"]');
    await failed.locator('[data-testid="answer-status"][data-status="error"]').waitFor();
    await failed.getByTestId('chat-retry-stored').click();

    // The same prompt goes again to the same conversation, and this time it is answered.
    await page
      .getByTestId('chat-prompt')
      .filter({ hasText: 'Why is the sky blue?' })
      .nth(1)
      .waitFor();
    const done = answer(page, 'complete');
    await done.waitFor();
    expect(await done.textContent()).toContain('You asked');
    expect(page.url()).toMatch(/\/chat\/failedchat$/);
    const answers = () =>
      sqlite
        .prepare(
          `select status from messages where conversation_id = 'failedchat' and role = 'assistant'
           order by created_at`,
        )
        .all();
    await expect
      .poll(answers, { timeout: 4000, interval: 100 })
      .toEqual([{ status: 'error' }, { status: 'complete' }]);
    await context.close();
  });

  it('cuts off a Pro answer live when Pro is revoked mid-stream', async () => {
    const { context, page } = await signUp('pro@example.com');
    const db = server.app.database.db;
    const user = getUserByEmail(db, 'pro@example.com');
    const pro = getMarkByKey(db, 'pro');
    grantMark(db, {
      userId: user.id,
      markId: pro.id,
      days: 1,
      source: 'admin',
      actorUserId: null,
      now: new Date(),
    });

    // With Pro the member picks Tessera Plus (remembered for next time) and asks.
    await page.reload();
    await page.getByTestId('model-picker').click();
    await page.getByTestId('model-option-tessera-plus').click();
    expect(await page.getByTestId('model-picker').textContent()).toContain('Tessera Plus');
    await markNotReloaded(page);
    await ask(page, 'Write a long essay about mosaics');
    await answer(page, 'streaming').filter({ hasText: 'You asked' }).waitFor();

    // The admin revokes Pro while the answer is being written.
    revokeMark(db, {
      userId: user.id,
      markId: pro.id,
      actorUserId: null,
      reason: 'Refunded',
      now: new Date(),
    });

    // The stream stops: the partial answer stays, tagged, with the notice and the upgrade action.
    const cut = answer(page, 'cut_off');
    await cut.waitFor();
    const partial = (await cut.textContent()) ?? '';
    expect(partial).toContain('You asked');
    expect(partial).not.toContain('to talk to a real model instead.');
    await cut.locator('[data-testid="answer-status"][data-status="cut_off"]').waitFor();
    const notice = page.locator('[data-testid="chat-cut-off"][data-code="MODEL_NOT_IN_PLAN"]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(
      'Your Pro membership ended while this answer was being written.',
    );
    expect(await notice.getByTestId('upgrade-unlock').first().textContent()).toBe(
      'Needs Pro — Pro monthly $20/mo, 7-day trial · Pro yearly $200/yr',
    );
    await notice.getByTestId('upgrade-see-plans').waitFor();
    // Plus is locked again, so the picker is back on the first allowed model.
    await page.getByTestId('model-picker').filter({ hasText: 'Tessera Mini' }).waitFor();
    await page.getByTestId('chat-send').waitFor();
    expect(await notReloaded(page)).toBe(true);

    // The upgrade action leads to the plans; back in the conversation (a fresh page load), the
    // stored answer keeps its cut-off tag.
    const conversationUrl = page.url();
    await notice.getByTestId('upgrade-see-plans').click();
    await page.getByTestId('plans-page').waitFor();
    await page.goto(conversationUrl);
    await page.locator('[data-testid="answer-status"][data-status="cut_off"]').waitFor();
    expect(await page.getByTestId('chat-answer').first().getAttribute('data-status')).toBe(
      'cut_off',
    );
    await context.close();
  });
});
