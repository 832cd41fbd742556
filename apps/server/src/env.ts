// The only reader of process.env. Everything configurable is validated here once, with a message
// that names the variable and what was wrong, so a typo fails at start, not at the first request.
import { z } from 'zod';

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** `scheme://host[:port]` and nothing more, as a browser sends it in `Origin`. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
}

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    /** Interface to listen on; unset = every interface (IPv4 and IPv6). */
    HOST: z.string().min(1).optional(),
    DATABASE_PATH: z.string().min(1).default('./data/tessera.db'),
    /**
     * `postgres://…` selects PostgreSQL instead of the SQLite file (decision 034); migrations run
     * at start, once across instances starting together.
     */
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: 'not a postgres:// or postgresql:// URL' })
      .optional(),
    /** The address people use, e.g. https://chat.example.com. HTTPS turns on Secure cookies. */
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Extra origins allowed to make state-changing requests, comma-separated. */
    TRUSTED_ORIGINS: z
      .string()
      .optional()
      .transform((v) =>
        v
          ? v
              .split(',')
              .map((o) => o.trim())
              .filter(Boolean)
          : [],
      ),
    /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
    TRUST_PROXY: booleanString.default(false),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    /** The platform's time zone: days and months (quotas, refills) start at its local midnight. */
    PLATFORM_TIME_ZONE: z
      .string()
      .default('UTC')
      .refine(
        (zone) => {
          try {
            new Intl.DateTimeFormat('en-US', { timeZone: zone });
            return true;
          } catch {
            return false;
          }
        },
        { error: 'not an IANA time zone (e.g. UTC, Europe/Berlin, Asia/Shanghai)' },
      ),
    /**
     * Take part in the scheduled work (hourly refills, the minute's sweeps, releasing abandoned
     * reservations). With several instances one leader at a time does it (decision 030): leave it on.
     */
    REFILL_SCHEDULER: booleanString.default(true),
    /** How often the scheduler ticks (sweeps, leader lease renewal); the leader lease lasts a bit longer. */
    SCHEDULER_TICK_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
    /**
     * How long an instance vouches for a credit reservation of an answer it streams; renewed every
     * third of it. A crashed instance's holds are released by another instance once it has passed.
     */
    RESERVATION_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
    /** An OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, OpenRouter…) for models whose provider is `openai`. */
    OPENAI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    OPENAI_API_KEY: z.string().min(1).optional(),
    /**
     * Origins browser clients may call /v1 from, comma-separated (`https://app.example.com`), or `*`
     * for any. /v1 takes API keys only, so this never lets a cookie count.
     */
    V1_CORS_ORIGINS: z
      .string()
      .optional()
      .transform((v) =>
        v
          ? v
              .split(',')
              .map((o) => o.trim())
              .filter(Boolean)
          : [],
      )
      .refine((origins) => origins.every((o) => o === '*' || isOrigin(o)), {
        error: 'not `*` or a comma-separated list of origins like https://app.example.com',
      }),
    /** Pace of the built-in offline demo model, in words per second. */
    DEMO_TOKENS_PER_SECOND: z.coerce.number().positive().max(100_000).default(30),
    /** How long an answer whose connection dropped waits for the client to reconnect (0 = stop at once). */
    CHAT_RESUME_GRACE_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
    /** Stripe's secret API key (`sk_…` or a restricted `rk_…`), for Checkout and the Customer Portal. */
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, {
        error: 'not a Stripe secret key (sk_test_…, sk_live_…, rk_…)',
      })
      .optional(),
    /** The signing secret of the webhook endpoint (`whsec_…`); without it the webhook answers 503. */
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]+$/, { error: 'not a Stripe webhook signing secret (whsec_…)' })
      .optional(),
    /** Days a paid membership lasts past the subscription's period end, so a late event costs no access. */
    STRIPE_GRACE_DAYS: z.coerce.number().int().min(0).max(60).default(3),
    /** A Stripe-compatible API to talk to instead of api.stripe.com (a fake on loopback in tests). */
    STRIPE_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
    /**
     * Outgoing mail: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. Unset =
     * nothing leaves the machine: mails are logged and kept in the admin console's outbox.
     */
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'not an smtp:// or smtps:// URL' }).optional(),
    /** The From of every mail: an address, or `Name <address>`. */
    MAIL_FROM: z
      .string()
      .trim()
      .regex(/^(?:[^<>@\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, {
        error: 'not an address (no-reply@example.com) or "Name <no-reply@example.com>"',
      })
      .default('Tessera <no-reply@localhost>'),
    /**
     * Seals TOTP secrets at rest (any long random string; an AES key is derived from it). Unset = a
     * development key that is public in the source: set your own in production (decision 024).
     * Changing it later makes every enrolled authenticator unreadable (users re-enrol after
     * `pnpm tessera user:2fa-reset`).
     */
    TWO_FACTOR_ENCRYPTION_KEY: z
      .string()
      .min(16, { error: 'too short: use at least 16 characters (e.g. `openssl rand -base64 32`)' })
      .optional(),
    /** Platform admins must turn on two-factor authentication before the admin console answers them. */
    ADMIN_TWO_FACTOR_REQUIRED: booleanString.default(false),
    /**
     * Sign-in with any OpenID Connect issuer: its URL (discovery at
     * `<issuer>/.well-known/openid-configuration`), and the client registered there. All three or
     * none; unset = nothing is ever fetched from an issuer.
     */
    OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** The sign-in button's label (`Sign in with <name>`); default "OpenID Connect". */
    OIDC_NAME: z.string().trim().min(1).max(40).optional(),
    /** Sign-in with GitHub: an OAuth app's id and secret (both or neither). */
    GITHUB_CLIENT_ID: z.string().min(1).optional(),
    GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
    /** GitHub's web and API addresses, for GitHub Enterprise Server (or a fake in tests). */
    GITHUB_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://github.com'),
    GITHUB_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.github.com'),
    /**
     * Chatting (the SPA and /v1) needs a verified email too, not only trials, plan codes and
     * checkout (decision 022). Off by default: Free chat is open to unverified accounts.
     */
    REQUIRE_VERIFIED_EMAIL_TO_CHAT: booleanString.default(false),
    /**
     * Redis for running several instances (decision 029): `redis://[:password@]host:6379[/db]` or
     * `rediss://…`. Member events and auth-epoch changes are pushed to every instance over pub/sub
     * instead of waiting for the outbox poll. Unset = one instance (or several on one SQLite file,
     * polling it), exactly as before.
     */
    REDIS_URL: z
      .url({ protocol: /^rediss?$/, error: 'not a redis:// or rediss:// URL' })
      .optional(),
    /** Prefix of every Redis key and channel, so deployments (or test runs) can share a server. */
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_.-]{1,64}$/, { error: 'use 1–64 of A–Z a–z 0–9 : _ . -' })
      .default('tessera:'),
    /**
     * With REDIS_URL: how often each instance still reads the outbox in case a notice was lost
     * (Redis pub/sub delivers at most once). Without Redis the outbox is polled every 20 ms.
     */
    MEMBER_EVENTS_SAFETY_POLL_MS: z.coerce.number().int().min(20).max(3_600_000).default(1_000),
    /** Seed demo plans and the Acme vendor into a new database. */
    SEED_DEMO: booleanString.default(true),
    /** Where the built SPA lives; default apps/web/dist in this repository. */
    WEB_DIST_DIR: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    // A half-configured provider would show a button that can only fail.
    const groups: [string, (string | undefined)[], string[]][] = [
      [
        'OIDC_ISSUER',
        [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET],
        ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'],
      ],
      [
        'GITHUB_CLIENT_ID',
        [env.GITHUB_CLIENT_ID, env.GITHUB_CLIENT_SECRET],
        ['GITHUB_CLIENT_ID', 'GITHUB_CLIENT_SECRET'],
      ],
    ];
    for (const [, values, names] of groups) {
      const set = values.filter((v) => v !== undefined).length;
      if (set === 0 || set === values.length) continue;
      names.forEach((name, i) => {
        if (values[i] === undefined)
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `required with ${names.filter((n) => n !== name).join(' and ')}`,
          });
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

// SMTP_URL, DATABASE_URL and REDIS_URL carry passwords.
const SECRET_NAME = /(_KEY|_SECRET)$|^(SMTP|DATABASE|REDIS)_URL$/;

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '(environment)');
    // A mistyped key is still (nearly) a key: name it, never print it into logs.
    const value = SECRET_NAME.test(name) ? '(hidden)' : JSON.stringify(source[name] ?? '');
    return `  ${name}=${value}: ${issue.message}`;
  });
  throw new EnvError(`Invalid environment configuration:\n${lines.join('\n')}`);
}
