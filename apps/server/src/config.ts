import { fileURLToPath } from 'node:url';
import { DEFAULT_RESERVATION_LEASE_MS, type DeliveryPolicy, type SsoConfig } from '@tessera/api';
import type { Env } from './env.ts';

/** Everything the app needs to start; built from the environment or given directly by tests. */
export interface AppConfig {
  nodeEnv: Env['NODE_ENV'];
  port: number;
  host?: string;
  databasePath: string;
  /** `postgres://…` (DATABASE_URL): PostgreSQL instead of the file at `databasePath`. */
  databaseUrl?: string;
  publicUrl?: string;
  trustedOrigins: string[];
  trustProxy: boolean;
  logLevel: Env['LOG_LEVEL'];
  webDistDir: string;
  /** Seed the demo catalog (Pro, Enterprise, Acme) into a new database. */
  seedDemo: boolean;
  /** Chat (SPA and /v1) refuses unverified addresses too (decision 022); default off. */
  requireVerifiedEmailToChat?: boolean;
  /** IANA time zone for daily/monthly windows and refill periods. */
  timeZone: string;
  /** Take part in the scheduled work (refills, sweeps); one leader at a time does it (decision 030). */
  scheduler: boolean;
  /** The scheduler's tick (sweeps and leader lease renewal); default one minute. */
  schedulerTickMs: number;
  /** Length of credit reservation leases, renewed every third of it; default 30 s. */
  reservationLeaseMs: number;
  openai?: { baseURL: string; apiKey: string };
  /** Origins browser clients may call /v1 from (CORS); `*` for any, empty for none. */
  v1CorsOrigins: string[];
  demoTokensPerSecond: number;
  /** An answer whose connection dropped waits this long for a reconnect before it is stopped. */
  chatResumeGraceMs: number;
  /**
   * Stripe: `secretKey` (with `apiBase`, a fake on loopback in tests) for Checkout, the portal,
   * invoices and retrieving subscriptions; `webhookSecret` verifies events; the grace days extend a
   * subscription's access past its period end (decision 018).
   */
  stripe: {
    secretKey?: string;
    webhookSecret?: string;
    apiBase?: string;
    graceDays: number;
  };
  /**
   * Outgoing mail (decision 021): `smtpUrl` unset = mails are logged and kept in the outbox, never
   * sent. The sender loop looks for due mail every `pollMs`; `policy` overrides retries and backoff.
   */
  /**
   * Second factor (decision 024): `encryptionKey` seals TOTP secrets (unset = the development key);
   * `adminRequired` makes platform admins enrol before the admin console answers them.
   */
  twoFactor?: { encryptionKey?: string; adminRequired?: boolean };
  mail: {
    smtpUrl?: string;
    from: string;
    pollMs: number;
    policy?: Partial<DeliveryPolicy>;
  };
  /** Identity providers for sign-in (decision 023); a provider is on when its block is present. */
  sso: SsoConfig;
  /**
   * Several instances (decision 029): member events and auth-epoch changes pushed over Redis
   * pub/sub; the outbox is still read every `safetyPollMs` in case a notice was lost.
   */
  redis?: { url: string; prefix: string; safetyPollMs: number };
}

export const DEFAULT_WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

export function configFromEnv(env: Env): AppConfig {
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    databasePath: env.DATABASE_PATH,
    databaseUrl: env.DATABASE_URL,
    publicUrl: env.PUBLIC_URL,
    trustedOrigins: env.TRUSTED_ORIGINS,
    trustProxy: env.TRUST_PROXY,
    logLevel: env.LOG_LEVEL,
    webDistDir: env.WEB_DIST_DIR ?? DEFAULT_WEB_DIST_DIR,
    seedDemo: env.SEED_DEMO,
    requireVerifiedEmailToChat: env.REQUIRE_VERIFIED_EMAIL_TO_CHAT,
    timeZone: env.PLATFORM_TIME_ZONE,
    scheduler: env.REFILL_SCHEDULER,
    schedulerTickMs: env.SCHEDULER_TICK_MS,
    reservationLeaseMs: env.RESERVATION_LEASE_MS,
    openai: env.OPENAI_BASE_URL
      ? { baseURL: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY ?? 'not-needed' }
      : undefined,
    v1CorsOrigins: env.V1_CORS_ORIGINS,
    demoTokensPerSecond: env.DEMO_TOKENS_PER_SECOND,
    chatResumeGraceMs: env.CHAT_RESUME_GRACE_MS,
    stripe: {
      secretKey: env.STRIPE_SECRET_KEY,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET,
      apiBase: env.STRIPE_API_BASE,
      graceDays: env.STRIPE_GRACE_DAYS,
    },
    twoFactor: {
      encryptionKey: env.TWO_FACTOR_ENCRYPTION_KEY,
      adminRequired: env.ADMIN_TWO_FACTOR_REQUIRED,
    },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, pollMs: 1000 },
    redis: env.REDIS_URL
      ? {
          url: env.REDIS_URL,
          prefix: env.REDIS_KEY_PREFIX,
          safetyPollMs: env.MEMBER_EVENTS_SAFETY_POLL_MS,
        }
      : undefined,
    sso: {
      oidc:
        env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
          ? {
              issuer: env.OIDC_ISSUER,
              clientId: env.OIDC_CLIENT_ID,
              clientSecret: env.OIDC_CLIENT_SECRET,
              name: env.OIDC_NAME,
            }
          : undefined,
      github:
        env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET
          ? {
              clientId: env.GITHUB_CLIENT_ID,
              clientSecret: env.GITHUB_CLIENT_SECRET,
              baseUrl: env.GITHUB_BASE_URL,
              apiUrl: env.GITHUB_API_URL,
            }
          : undefined,
    },
  };
}

export function withDefaults(
  partial: Partial<AppConfig> & Pick<AppConfig, 'databasePath'>,
): AppConfig {
  return {
    nodeEnv: 'production',
    port: 0,
    trustedOrigins: [],
    trustProxy: false,
    logLevel: 'silent',
    webDistDir: DEFAULT_WEB_DIST_DIR,
    seedDemo: false,
    timeZone: 'UTC',
    scheduler: false,
    schedulerTickMs: 60_000,
    reservationLeaseMs: DEFAULT_RESERVATION_LEASE_MS,
    v1CorsOrigins: [],
    demoTokensPerSecond: 30,
    chatResumeGraceMs: 10_000,
    stripe: { graceDays: 3 },
    mail: { from: 'Tessera <no-reply@localhost>', pollMs: 1000 },
    sso: {},
    ...partial,
  };
}
