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

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** Interface to listen on; unset = every interface (IPv4 and IPv6). */
  HOST: z.string().min(1).optional(),
  DATABASE_PATH: z.string().min(1).default('./data/tessera.db'),
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
  /** Run scheduled credit refills in this process (turn off on all but one instance if you like). */
  REFILL_SCHEDULER: booleanString.default(true),
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
   * Chatting (the SPA and /v1) needs a verified email too, not only trials, plan codes and
   * checkout (decision 022). Off by default: Free chat is open to unverified accounts.
   */
  REQUIRE_VERIFIED_EMAIL_TO_CHAT: booleanString.default(false),
  /** Seed demo plans and the Acme vendor into a new database. */
  SEED_DEMO: booleanString.default(true),
  /** Where the built SPA lives; default apps/web/dist in this repository. */
  WEB_DIST_DIR: z.string().min(1).optional(),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

// SMTP_URL carries the SMTP password.
const SECRET_NAME = /(_KEY|_SECRET)$|^SMTP_URL$/;

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
