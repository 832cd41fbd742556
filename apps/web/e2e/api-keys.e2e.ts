// API keys in the browser: the first account (the platform admin) sees that its plan has no API
// access, is granted Enterprise (live, no reload), creates a key in Account and copies it from the
// one-time modal. The key then works against the OpenAI-compatible `/v1/models`; once revoked in
// the UI, the same call is refused with 401. The built SPA is served by the real server
// (in-process, fresh SQLite file, demo catalog).
import { grantMark } from '@tessera/api';
import { describe, expect, it } from 'vitest';
import { e2eServer, PASSWORD } from './harness.ts';

const server = e2eServer('api-keys', { seedDemo: true });

/** GET /v1/models with a bearer key, as any OpenAI client would. */
async function listModels(key: string) {
  const response = await fetch(`${server.app.url}/v1/models`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  const body = (await response.json()) as { data?: Array<{ id: string }> };
  return { status: response.status, ids: (body.data ?? []).map((model) => model.id) };
}

/** An id by a unique column, straight from the database. */
function idWhere(table: 'users' | 'marks', column: string, value: string): string {
  const row = server.app.database.sqlite
    .prepare(`select id from ${table} where ${column} = ?`)
    .get(value) as { id: string } | undefined;
  if (!row) throw new Error(`No ${table} row with ${column} = ${value}`);
  return row.id;
}

describe('API keys in the browser', () => {
  it('creates a key that works on /v1, then revokes it', async () => {
    const context = await server.browser.newContext({ locale: 'en-US', baseURL: server.app.url });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: server.app.url,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);

    // The first account is the platform admin, on the Free plan: no API access yet.
    await page.goto('/sign-up');
    await page.getByTestId('signup-email').fill('admin@example.com');
    await page.getByTestId('signup-password').fill(PASSWORD);
    await page.getByTestId('signup-submit').click();
    await page.waitForURL('**/chat');
    await page.getByTestId('nav-account').click();
    const card = page.getByTestId('api-keys-card');
    await card.getByTestId('upgrade-prompt').waitFor();
    expect(await card.getByTestId('upgrade-unlock').first().textContent()).toContain(
      'Needs Enterprise',
    );
    expect(await card.getByTestId('api-key-name-input').count()).toBe(0);

    // The admin grants themselves Enterprise; the card opens up without a reload.
    grantMark(server.app.database.db, {
      userId: idWhere('users', 'email', 'admin@example.com'),
      markId: idWhere('marks', 'key', 'enterprise'),
      days: null,
      source: 'admin',
      actorUserId: null,
      reason: 'API keys e2e',
      now: new Date(),
    });
    await card.getByTestId('api-key-name-input').waitFor();
    await card.getByTestId('upgrade-prompt').waitFor({ state: 'detached' });
    expect(await card.getByTestId('api-base-url').textContent()).toBe(`${server.app.url}/v1`);

    // Create a key: it is shown once, in a modal, and copied from there.
    await card.getByTestId('api-key-name-input').fill('CI server');
    await card.getByTestId('api-key-create').click();
    const modal = page.getByTestId('new-key-modal');
    await modal.getByTestId('new-key-value').waitFor();
    expect(await modal.getByTestId('new-key-warning').textContent()).toContain(
      'You won’t see it again',
    );
    const shown = (await modal.getByTestId('new-key-value').textContent()) ?? '';
    expect(shown).toMatch(/^tsk_[a-z2-7]{24}_[a-z2-7]{32}$/);
    await modal.getByTestId('new-key-copy').click();
    await modal.locator('[data-testid="new-key-copy"][data-copied="true"]').waitFor();
    const key = await page.evaluate(() => navigator.clipboard.readText());
    expect(key).toBe(shown);
    await modal.getByTestId('new-key-done').click();
    await modal.getByTestId('new-key-value').waitFor({ state: 'detached' });

    const row = card.locator('[data-testid="api-key-row"][data-key-name="CI server"]');
    await row.waitFor();
    expect(await row.getByTestId('api-key-status').getAttribute('data-status')).toBe('active');
    expect(await row.getByTestId('api-key-last-used').textContent()).toBe('Never');

    // The key works with the OpenAI wire format: Enterprise lists its models.
    const allowed = await listModels(key);
    expect(allowed.status).toBe(200);
    expect(allowed.ids).toContain('tessera-ultra');

    // Revoke it in the UI (with confirmation); the same call is now refused.
    await row.getByTestId('api-key-revoke').click();
    await page.getByTestId('api-key-revoke-confirm').click();
    await card
      .locator('[data-testid="api-key-row"][data-key-name="CI server"][data-revoked="true"]')
      .waitFor();
    expect(await row.getByTestId('api-key-status').getAttribute('data-status')).toBe('revoked');
    expect(await row.getByTestId('api-key-revoke').count()).toBe(0);
    // Used once before it was revoked.
    expect(await row.getByTestId('api-key-last-used').textContent()).not.toBe('Never');

    const refused = await listModels(key);
    expect(refused.status).toBe(401);
    await context.close();
  });
});
