// The one place a Stripe client is built. Everything that talks to Stripe gets it from here, so
// the API version is pinned once and STRIPE_API_BASE (a fake on loopback in tests and local
// development) is honoured everywhere.
import Stripe from 'stripe';

/**
 * The API version our code and the fake are written against. Pinned, so a Stripe account's
 * default version (set in its dashboard) never changes the shapes we read.
 */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const;

export interface StripeSettings {
  secretKey: string;
  /** e.g. `http://127.0.0.1:12111`; unset = api.stripe.com. */
  apiBase?: string;
}

export function createStripeClient(settings: StripeSettings): Stripe {
  const base = settings.apiBase ? new URL(settings.apiBase) : null;
  return new Stripe(settings.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'https:' ? 443 : 80),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
    // One retry on a network fault; every mutation we send carries its own idempotency key, so a
    // retry can never create a second object.
    maxNetworkRetries: 1,
    timeout: 20_000,
    appInfo: { name: 'Tessera' },
    telemetry: false,
  });
}
