// The one Stripe API client of a server process: the real SDK with STRIPE_SECRET_KEY, pointed at
// STRIPE_API_BASE when set (a Stripe-compatible server on loopback in tests and local development)
// through the SDK's own host, port and protocol options. Null without a key: the app then works
// without Stripe and says how else to buy.
import Stripe from 'stripe';
import type { AppConfig } from './config.ts';

export function createStripeClient(config: AppConfig['stripe']): Stripe | null {
  if (!config.secretKey) return null;
  const base = config.apiBase ? new URL(config.apiBase) : null;
  return new Stripe(config.secretKey, {
    maxNetworkRetries: 1,
    timeout: 10_000,
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}
