// `pnpm stripe:fake [--port 12111] [--webhook <url>]`: the fake Stripe for local development, with
// three prices of fixed ids to link plans and packs to. Prints the environment the app needs.
import { parseArgs } from 'node:util';
import { startFakeStripe } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '12111' },
    webhook: { type: 'string', default: 'http://localhost:3000/api/stripe/webhook' },
  },
});

const fake = await startFakeStripe({ port: Number(values.port), webhookUrl: values.webhook });
// Fixed ids, so a plan linked once stays linked across restarts of the (in-memory) fake.
const seeded = [
  { id: 'price_fakeMonthly', unitAmount: 2000, interval: 'month' as const },
  { id: 'price_fakeYearly', unitAmount: 20000, interval: 'year' as const },
  { id: 'price_fakeOnce', unitAmount: 500 },
];
for (const { id, ...input } of seeded) {
  const price = fake.createPrice(input);
  fake.store.prices.delete(price.id);
  fake.store.prices.set(id, { ...price, id });
}

console.log(`Fake Stripe on ${fake.url}; webhooks go to ${values.webhook}
Start the app with:
  STRIPE_API_BASE=${fake.url} STRIPE_SECRET_KEY=${fake.secretKey} STRIPE_WEBHOOK_SECRET=${fake.webhookSecret} pnpm dev
Prices: price_fakeMonthly (20.00 USD / month), price_fakeYearly (200.00 USD / year), price_fakeOnce (5.00 USD once)
  pnpm tessera plan:link pro price_fakeMonthly
State is in memory: it is gone when this process ends.`);

const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
