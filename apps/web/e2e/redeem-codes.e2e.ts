// Redemption codes in the browser: the platform admin generates a batch in Admin → Payments and
// downloads it as a real CSV file; a member redeems a plan code and a credits code on the Plans
// page and sees the plan among their marks and the credits in their purchased pot.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { e2eServer } from './harness.ts';

const server = e2eServer('redeem-codes', { seedDemo: true });

describe('redemption codes', () => {
  it('an admin generates codes and downloads the CSV; a member redeems them and sees the plan and the credits', async () => {
    const admin = await server.signUp('admin@example.com'); // the first account: admin
    await admin.page.goto('/admin/payments');
    const card = admin.page.getByTestId('redemption-codes');
    const shownCodes = async () =>
      ((await admin.page.getByTestId('codes-list').locator('code').textContent()) ?? '').trim();
    await card.waitFor();

    // A plan batch: Pro monthly for 30 days, two codes.
    await admin.page.getByTestId('codes-plan').click();
    await admin.page.locator('.ant-select-item-option', { hasText: 'pro-monthly' }).click();
    await admin.page.getByTestId('codes-days').fill('30');
    await admin.page.getByTestId('codes-count').fill('2');
    await admin.page.getByTestId('codes-generate').click();
    await admin.page.getByTestId('codes-generated').waitFor();
    const planCodes = (await shownCodes()).split('\n');
    expect(planCodes).toHaveLength(2);

    const [download] = await Promise.all([
      admin.page.waitForEvent('download'),
      admin.page.getByTestId('codes-download').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^tessera-codes-pro-monthly-.*\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('code,batch,plan,days,credits,expires_at,note');
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(planCodes);
    expect(lines[1]).toContain(',pro-monthly,30,,');

    // A credits batch: one code of 12,345 credits.
    await card.getByText('Credits', { exact: true }).click();
    await admin.page.getByTestId('codes-credits').fill('12345');
    await admin.page.getByTestId('codes-valid-days').fill('30');
    await admin.page.getByTestId('codes-count').fill('1');
    await admin.page.getByTestId('codes-generate').click();
    await expect.poll(shownCodes).not.toBe(planCodes.join('\n'));
    const creditCode = await shownCodes();

    // The member: their balance first, then Plans → Redeem a code.
    const member = await server.signUp('member@example.com');
    await member.page.getByTestId('nav-usage').click();
    const balance = async () =>
      Number(
        ((await member.page.getByTestId('credits-balance').textContent()) ?? '').replace(/\D/g, ''),
      );
    await member.page.getByTestId('credits-balance').waitFor();
    const before = await balance();
    await member.page.getByTestId('nav-plans').click();
    // A plan that cannot be bought here points to the card.
    await member.page.getByTestId('plan-redeem-link').first().click();
    await member.page.waitForURL('**/plans#redeem-code');
    await member.page.getByTestId('redeem-card').waitFor();

    // Credits, typed with spaces instead of dashes.
    await member.page.getByTestId('redeem-input').fill(creditCode.replaceAll('-', ' '));
    await member.page.getByTestId('redeem-submit').click();
    const result = member.page.getByTestId('redeem-result');
    await result.getByText('12,345 credits added').waitFor();
    await member.page.getByTestId('nav-usage').click();
    await expect.poll(balance).toBe(before + 12_345);
    const purchased = () => member.page.getByTestId('credits-purchased').textContent();
    expect(await purchased()).toBe('12,345');

    // The plan, typed in lower case.
    await member.page.getByTestId('nav-plans').click();
    await member.page.getByTestId('redeem-input').fill(planCodes[0]!.toLowerCase());
    await member.page.getByTestId('redeem-submit').click();
    await result.getByText('Code redeemed.').waitFor();
    expect(await result.textContent()).toContain('pro for 30 days');
    const pro = member.page.locator('[data-testid=held-mark][data-mark-key=pro]');
    await pro.waitFor();
    expect(await pro.textContent()).toContain('Code');

    // An unknown code is refused on the field.
    await member.page.getByTestId('redeem-input').fill('TSRA-0000-0000-0000-0000');
    await member.page.getByTestId('redeem-submit').click();
    await member.page
      .getByTestId('redeem-card')
      .locator('.ant-form-item-explain-error')
      .getByText('That is not a valid code.')
      .waitFor();

    // Pro's allowance arrived with the plan; the redeemed credits are still there beside it.
    await member.page.getByTestId('nav-usage').click();
    await expect.poll(balance).toBeGreaterThan(before + 12_345);
    expect(await purchased()).toBe('12,345');

    // Back in the console, the batches show what was redeemed.
    await admin.page.reload();
    const rows = admin.page.getByTestId('code-batch-redeemed');
    await expect.poll(() => rows.allTextContents()).toEqual(['1 / 1', '1 / 2']);
    // Only the credits batch expires (valid for 30 days); the plan batch never does.
    const table = admin.page.getByTestId('code-batches');
    expect((await table.textContent())?.match(/Never/g)).toHaveLength(1);
  });
});
