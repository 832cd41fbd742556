// Images in the chat (decision 026), in Chromium against the real server and the offline demo
// model. A Pro member (whose plan has Tessera Plus, which reads images) finds the picture button
// disabled on Tessera Mini, picks Plus, attaches one image with the file picker and one by pasting,
// is told a text file cannot be attached, finds that Mini would not take them (they wait in the
// composer), picks Plus again and sends: the demo's answer says it saw both images and
// their sizes, and after a reload the prompt still shows them. A dropped image shows a thumbnail
// and × removes it. A Free member's button is locked and says which plan unlocks images.
import { getMarkByKey, getUserByEmail, grantMark } from '@tessera/api';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eServer } from './harness.ts';

const server = e2eServer('chat-images', { seedDemo: true, demoTokensPerSecond: 200 });

/** Real PNGs: 3 × 2 px and 5 × 4 px. */
const PNG_3X2 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR4nGM4IScHQQxwFgBBAAYZPEVBlgAAAABJRU5ErkJggg==',
  'base64',
);
const PNG_5X4 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAUAAAAECAIAAADJUWIXAAAAEUlEQVR4nGOQkzuBjBhI5AMAfRYUUfEHBX4AAAAASUVORK5CYII=',
  'base64',
);

function grantPro(email: string) {
  const db = server.app.database.db;
  grantMark(db, {
    userId: getUserByEmail(db, email).id,
    markId: getMarkByKey(db, 'pro').id,
    days: 1,
    source: 'admin',
    actorUserId: null,
    now: new Date(),
  });
}

async function chooseModel(page: Page, id: 'tessera-mini' | 'tessera-plus') {
  await page.getByTestId('model-picker').click();
  await page.locator(`.ant-select-dropdown:visible [data-testid="model-option-${id}"]`).click();
  const name = id === 'tessera-plus' ? 'Tessera Plus' : 'Tessera Mini';
  await expect.poll(() => page.getByTestId('model-picker').textContent()).toContain(name);
}

/** Fires a paste (or a drop) of a PNG the way the browser does, with the file in a DataTransfer. */
async function dispatchImage(page: Page, kind: 'paste' | 'drop', bytes: Buffer, name: string) {
  await page.evaluate(
    ({ kind, data, name }) => {
      const file = new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], name, {
        type: 'image/png',
      });
      const transfer = new DataTransfer();
      transfer.items.add(file);
      if (kind === 'paste') {
        const box = document.querySelector('[data-testid="chat-sender"] textarea')!;
        box.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }),
        );
        return;
      }
      const zone = document.querySelector('[data-testid="chat-composer"]')!;
      for (const type of ['dragover', 'drop'])
        zone.dispatchEvent(
          new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
    },
    { kind, data: bytes.toString('base64'), name },
  );
}

const ready = (page: Page) => page.locator('[data-testid="composer-image"][data-status="ready"]');

const pendingUploads = () =>
  (
    server.app.database.sqlite
      .prepare('select count(*) as n from message_attachments where message_id is null')
      .get() as { n: number }
  ).n;

describe('images in the chat', () => {
  it('a Pro member attaches by picker and paste, sends, and the model says it saw them', async () => {
    const email = 'pro-images@example.com';
    const { context, page } = await server.signUp(email);
    grantPro(email);
    await page.reload();
    await page.getByTestId('chat-welcome').waitFor();

    // Tessera Mini (the first model) cannot read images: the button is disabled.
    await page.getByTestId('chat-attach-unavailable').waitFor();
    expect(await page.getByTestId('chat-image-input').count()).toBe(0);
    await chooseModel(page, 'tessera-plus');
    await page.getByTestId('chat-attach').waitFor();

    // The file picker: a PNG is attached; a text file is refused with the reason.
    const input = page.getByTestId('chat-image-input');
    await input.setInputFiles({ name: 'red.png', mimeType: 'image/png', buffer: PNG_3X2 });
    await ready(page).first().waitFor();
    await input.setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hi'),
    });
    await expect
      .poll(() => page.getByTestId('composer-image-error').textContent())
      .toContain('notes.txt: Only PNG, JPEG, WebP and GIF images can be attached.');

    // A paste adds the second one.
    await dispatchImage(page, 'paste', PNG_5X4, 'blue.png');
    await expect.poll(() => ready(page).count()).toBe(2);

    // Switched to Mini, the images stay in the composer, it says why, and Enter sends nothing.
    const box = page.getByTestId('chat-sender').locator('textarea');
    await chooseModel(page, 'tessera-mini');
    await expect
      .poll(() => page.getByTestId('composer-image-blocked').textContent())
      .toContain('Tessera Mini cannot read images. Pick a model that can: Tessera Plus.');
    await box.fill('What do you see in these pictures?');
    await box.press('Enter');
    await page.waitForTimeout(300);
    expect(await page.getByTestId('chat-prompt').count()).toBe(0);
    expect(await ready(page).count()).toBe(2);

    await chooseModel(page, 'tessera-plus');
    await box.press('Enter');
    const answer = page.locator('[data-testid="chat-answer"][data-phase="complete"]');
    await answer.waitFor();
    expect(await answer.textContent()).toContain('I see 2 images (PNG, 3×2 px; PNG, 5×4 px).');
    // The composer is empty again; the prompt shows its two images.
    expect(await page.getByTestId('composer-image').count()).toBe(0);
    expect(await page.getByTestId('chat-prompt').getByTestId('prompt-image').count()).toBe(2);

    // After a reload the stored prompt loads its images from the server.
    await page.reload();
    const stored = page.getByTestId('chat-prompt').locator('.prompt-images img');
    await expect.poll(() => stored.count()).toBe(2);
    expect(await stored.first().getAttribute('src')).toBe(
      `data:image/png;base64,${PNG_3X2.toString('base64')}`,
    );
    expect(pendingUploads()).toBe(0);

    // A dropped image shows a thumbnail; × removes it, here and on the server.
    await chooseModel(page, 'tessera-plus');
    await dispatchImage(page, 'drop', PNG_3X2, 'dropped.png');
    await ready(page).first().waitFor();
    expect(pendingUploads()).toBe(1);
    await page.getByTestId('composer-image-remove').click();
    await expect.poll(() => page.getByTestId('composer-image').count()).toBe(0);
    await expect.poll(pendingUploads).toBe(0);
    await context.close();
  });

  it('a Free member finds the picture button locked, with the plan that unlocks images', async () => {
    const { context, page } = await server.signUp('free-images@example.com');
    await page.getByTestId('chat-welcome').waitFor();
    await page.getByTestId('chat-attach-locked').click();
    const prompt = page.getByTestId('upgrade-prompt');
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain('Images need a model that can read them');
    await expect
      .poll(() =>
        prompt
          .getByTestId('upgrade-unlock')
          .allTextContents()
          .then((lines) => lines.join('\n')),
      )
      .toContain('Needs Pro');
    expect(await page.getByTestId('chat-image-input').count()).toBe(0);
    await context.close();
  });
});
