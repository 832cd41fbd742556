// The money views in the browser: Admin → Revenue says where payments come from while there are
// none; once payments are recorded (rows as the webhook handlers write them) it draws the chart,
// totals each currency on its own, and tables the active subscriptions per plan; a vendor's
// Revenue tab shows only that vendor's money. Real server, real SPA, Debian's Chromium.
import { describe, expect, it } from 'vitest';
import { e2eServer } from './harness.ts';

const server = e2eServer('money-views', { seedDemo: true, timeZone: 'UTC' });

function seed(buyerId: string) {
  const sqlite = server.app.database.db.$client;
  const plan = (name: string) =>
    sqlite.prepare('select id, mark_id as markId from plans where name = ?').get(name) as {
      id: string;
      markId: string;
    };
  const pro = plan('Pro monthly');
  const acme = plan('Acme Writer');
  const now = Date.now();
  const hoursAgo = (h: number) => now - h * 3_600_000;
  const pay = sqlite.prepare(
    `insert into payments (id, user_id, kind, tenant_id, plan_id, pack_id, amount_minor,
       refunded_minor, currency, paid_at)
     values (@id, @userId, @kind, @tenantId, @planId, @packId, @amount, @refunded, @currency, @paidAt)`,
  );
  const payment = {
    userId: buyerId,
    tenantId: 'platform',
    planId: null,
    packId: null,
    refunded: 0,
  };
  pay.run({
    ...payment,
    id: 'in_e2e_pro',
    kind: 'subscription',
    planId: pro.id,
    amount: 2000,
    currency: 'usd',
    paidAt: hoursAgo(30),
  });
  // A pack, partly refunded: $5.00 − $1.50.
  pay.run({
    ...payment,
    id: 'cs_e2e_pack',
    kind: 'pack',
    packId: 'pack-e2e',
    amount: 500,
    refunded: 150,
    currency: 'usd',
    paidAt: hoursAgo(1),
  });
  pay.run({
    ...payment,
    id: 'in_e2e_acme',
    kind: 'subscription',
    tenantId: 'acme',
    planId: acme.id,
    amount: 900,
    currency: 'eur',
    paidAt: hoursAgo(50),
  });

  const subscribe = sqlite.prepare(
    `insert into stripe_subscriptions (id, user_id, plan_id, mark_id, tenant_id, status,
       current_period_start, current_period_end, access_until, ended_at, state_at, created_at,
       updated_at)
     values (@id, @userId, @planId, @markId, @tenantId, @status, @start, @end, @end, @endedAt,
       @now, @now, @now)`,
  );
  const subscription = {
    userId: buyerId,
    planId: pro.id,
    markId: pro.markId,
    tenantId: 'platform',
    start: hoursAgo(30),
    end: hoursAgo(-700),
    endedAt: null,
    now,
  };
  subscribe.run({ ...subscription, id: 'sub_e2e_1', status: 'active' });
  subscribe.run({ ...subscription, id: 'sub_e2e_2', status: 'active' });
  subscribe.run({ ...subscription, id: 'sub_e2e_3', status: 'trialing' });
  subscribe.run({ ...subscription, id: 'sub_e2e_4', status: 'canceled', endedAt: now });
  subscribe.run({
    ...subscription,
    id: 'sub_e2e_5',
    status: 'active',
    planId: acme.id,
    markId: acme.markId,
    tenantId: 'acme',
  });
}

describe('money views', () => {
  it('admin Revenue: empty until someone pays, then the chart, totals per currency and subscriptions per plan', async () => {
    const { page } = await server.signUp('admin@example.com'); // the first account: admin
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin-tab-revenue').click();
    await page.waitForURL('**/admin/revenue');
    await page
      .getByTestId('revenue-empty')
      .getByText('No payments yet — they appear here once members pay through Stripe.')
      .waitFor();
    expect(await page.getByTestId('revenue-chart').count()).toBe(0);

    const buyer = server.app.database.db.$client
      .prepare('select id from users where email = ?')
      .get('admin@example.com') as { id: string };
    seed(buyer.id);
    await page.reload();

    // The chart is drawn by the charting library (an SVG surface with a bar per paid day).
    const chart = page.getByTestId('revenue-chart');
    await chart.locator('svg.recharts-surface').first().waitFor();
    await expect
      .poll(() => chart.locator('.recharts-bar-rectangle path').count())
      .toBeGreaterThan(0);

    // Never one number across currencies: dollars and euros each have their own total.
    const total = (currency: string) =>
      page.locator(`[data-testid="revenue-total"][data-currency="${currency}"]`);
    expect(await total('usd').getByTestId('revenue-total-net').textContent()).toBe('$23.50');
    expect(await total('eur').getByTestId('revenue-total-net').textContent()).toBe('€9');
    expect(await page.getByTestId('revenue-purchases-subscription').textContent()).toBe('2');
    expect(await page.getByTestId('revenue-purchases-pack').textContent()).toBe('1');

    const pro = page.getByTestId('subscriptions-row').filter({ hasText: 'Pro monthly' });
    expect(await pro.getByTestId('subscriptions-active').textContent()).toBe('3');
    expect(await pro.getByTestId('subscriptions-status-active').textContent()).toBe('2');
    expect(await pro.getByTestId('subscriptions-trialing').textContent()).toBe('1');
    const acme = page.getByTestId('subscriptions-row').filter({ hasText: 'Acme Writer' });
    expect(await acme.getByTestId('subscriptions-active').textContent()).toBe('1');

    // A vendor's Revenue tab (opened here by the platform admin) holds that vendor's money only.
    await page.goto('/vendor/acme/revenue');
    await page.getByTestId('vendor-revenue').getByTestId('revenue-chart').waitFor();
    expect(await page.getByTestId('revenue-total').count()).toBe(1);
    expect(await total('eur').getByTestId('revenue-total-net').textContent()).toBe('€9');
    const rows = page.getByTestId('subscriptions-row');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getByTestId('subscriptions-active').textContent()).toBe('1');
  });
});
