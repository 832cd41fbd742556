import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config.ts';
import { EnvError, readEnv } from '../src/env.ts';

describe('environment', () => {
  it('has working defaults', () => {
    expect(readEnv({})).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      DATABASE_PATH: './data/tessera.db',
      TRUSTED_ORIGINS: [],
      TRUST_PROXY: false,
    });
  });

  it('reads Redis for several instances: off by default, a redis:// URL, its password never printed', () => {
    expect(configFromEnv(readEnv({})).redis).toBeUndefined();
    const env = readEnv({ REDIS_URL: 'redis://:pw@cache.internal:6379/2' });
    expect(configFromEnv(env).redis).toEqual({
      url: 'redis://:pw@cache.internal:6379/2',
      prefix: 'tessera:',
      safetyPollMs: 1000,
    });
    const refusal = (() => {
      try {
        readEnv({ REDIS_URL: 'http://:hunter2@cache.internal', REDIS_KEY_PREFIX: 'has space' });
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(EnvError);
    expect(String(refusal)).toMatch(/REDIS_URL=\(hidden\): not a redis:\/\/ or rediss:\/\/ URL/);
    expect(String(refusal)).toMatch(/REDIS_KEY_PREFIX="has space"/);
    expect(String(refusal)).not.toContain('hunter2');
  });

  it('parses lists and flags', () => {
    const env = readEnv({
      TRUSTED_ORIGINS: 'https://a.example, https://b.example',
      TRUST_PROXY: 'true',
      PORT: '8080',
    });
    expect(env).toMatchObject({
      TRUSTED_ORIGINS: ['https://a.example', 'https://b.example'],
      TRUST_PROXY: true,
      PORT: 8080,
    });
  });

  it('reads the two-factor settings: off and the development key by default, a short key refused unprinted', () => {
    expect(readEnv({})).toMatchObject({ ADMIN_TWO_FACTOR_REQUIRED: false });
    expect(readEnv({}).TWO_FACTOR_ENCRYPTION_KEY).toBeUndefined();
    const env = readEnv({
      ADMIN_TWO_FACTOR_REQUIRED: 'true',
      TWO_FACTOR_ENCRYPTION_KEY: 'a-long-random-operator-key',
    });
    expect(env).toMatchObject({
      ADMIN_TWO_FACTOR_REQUIRED: true,
      TWO_FACTOR_ENCRYPTION_KEY: 'a-long-random-operator-key',
    });
    const refusal = (() => {
      try {
        readEnv({ TWO_FACTOR_ENCRYPTION_KEY: 'short-secret' });
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(EnvError);
    expect(String(refusal)).toMatch(/TWO_FACTOR_ENCRYPTION_KEY=\(hidden\)/);
    expect(String(refusal)).not.toContain('short-secret');
  });

  it('reads the lease lengths: 30 s reservations and a one-minute tick by default, whole ms ≥ 1 s', () => {
    const defaults = configFromEnv(readEnv({}));
    expect(defaults).toMatchObject({ reservationLeaseMs: 30_000, schedulerTickMs: 60_000 });
    expect(
      configFromEnv(readEnv({ RESERVATION_LEASE_MS: '5000', SCHEDULER_TICK_MS: '2000' })),
    ).toMatchObject({ reservationLeaseMs: 5000, schedulerTickMs: 2000 });
    for (const bad of ['999', '1.5', 'soon', '0'])
      expect(() => readEnv({ RESERVATION_LEASE_MS: bad }), bad).toThrow(/RESERVATION_LEASE_MS/);
    expect(() => readEnv({ SCHEDULER_TICK_MS: '10' })).toThrow(/SCHEDULER_TICK_MS/);
  });

  it('reads REQUIRE_VERIFIED_EMAIL_TO_CHAT: off by default, a flag, refused when not one', () => {
    expect(readEnv({}).REQUIRE_VERIFIED_EMAIL_TO_CHAT).toBe(false);
    expect(readEnv({ REQUIRE_VERIFIED_EMAIL_TO_CHAT: 'true' }).REQUIRE_VERIFIED_EMAIL_TO_CHAT).toBe(
      true,
    );
    expect(() => readEnv({ REQUIRE_VERIFIED_EMAIL_TO_CHAT: 'sometimes' })).toThrow(
      /REQUIRE_VERIFIED_EMAIL_TO_CHAT/,
    );
  });

  it('reads the /v1 CORS origins: a list, `*`, or none; refuses what is not an origin', () => {
    expect(readEnv({}).V1_CORS_ORIGINS).toEqual([]);
    expect(
      readEnv({ V1_CORS_ORIGINS: 'https://a.example, http://localhost:5173' }).V1_CORS_ORIGINS,
    ).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(readEnv({ V1_CORS_ORIGINS: '*' }).V1_CORS_ORIGINS).toEqual(['*']);
    for (const bad of [
      'a.example',
      'https://a.example/path',
      'ftp://a.example',
      'https://a.example/',
    ])
      expect(() => readEnv({ V1_CORS_ORIGINS: bad }), bad).toThrow(/V1_CORS_ORIGINS/);
  });

  it('names every bad variable and its value in one message', () => {
    let message = '';
    try {
      readEnv({ PORT: 'eighty', NODE_ENV: 'prod', PUBLIC_URL: 'ftp://x' });
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      message = (error as Error).message;
    }
    expect(message).toContain('PORT="eighty"');
    expect(message).toContain('NODE_ENV="prod"');
    expect(message).toContain('PUBLIC_URL="ftp://x"');
  });

  it('reads the Stripe settings, defaults the grace period, and never prints a secret it refuses', () => {
    expect(readEnv({})).toMatchObject({ STRIPE_GRACE_DAYS: 3 });
    expect(
      readEnv({
        STRIPE_SECRET_KEY: 'sk_test_abc123',
        STRIPE_WEBHOOK_SECRET: 'whsec_abc123',
        STRIPE_GRACE_DAYS: '7',
        STRIPE_API_BASE: 'http://127.0.0.1:12111',
      }),
    ).toMatchObject({
      STRIPE_SECRET_KEY: 'sk_test_abc123',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc123',
      STRIPE_GRACE_DAYS: 7,
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
    });
    let message = '';
    try {
      readEnv({
        STRIPE_SECRET_KEY: 'pk_live_publishable123',
        STRIPE_WEBHOOK_SECRET: 'secret-typo',
        STRIPE_GRACE_DAYS: '-1',
        STRIPE_API_BASE: 'stripe.local',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('STRIPE_SECRET_KEY=(hidden)');
    expect(message).toContain('STRIPE_WEBHOOK_SECRET=(hidden)');
    expect(message).toContain('STRIPE_GRACE_DAYS="-1"');
    expect(message).toContain('STRIPE_API_BASE="stripe.local"');
    expect(message).not.toContain('pk_live_publishable123');
    expect(message).not.toContain('secret-typo');
  });

  it('reads the mail settings and never prints an SMTP_URL it refuses (it holds the password)', () => {
    expect(readEnv({})).toMatchObject({ MAIL_FROM: 'Tessera <no-reply@localhost>' });
    expect(readEnv({}).SMTP_URL).toBeUndefined();
    expect(
      readEnv({
        SMTP_URL: 'smtp://user:pass@mail.example:587',
        MAIL_FROM: 'Ops <ops@example.com>',
      }),
    ).toMatchObject({
      SMTP_URL: 'smtp://user:pass@mail.example:587',
      MAIL_FROM: 'Ops <ops@example.com>',
    });
    expect(readEnv({ MAIL_FROM: 'no-reply@example.com' }).MAIL_FROM).toBe('no-reply@example.com');
    let message = '';
    try {
      readEnv({ SMTP_URL: 'http://user:hunter2@mail.example', MAIL_FROM: 'not an address' });
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      message = (error as Error).message;
    }
    expect(message).toContain('SMTP_URL=(hidden)');
    expect(message).not.toContain('hunter2');
    expect(message).toContain('MAIL_FROM="not an address"');
  });

  it('reads DATABASE_URL as PostgreSQL, refuses other schemes, never printing the URL', () => {
    expect(readEnv({}).DATABASE_URL).toBeUndefined();
    expect(configFromEnv(readEnv({})).databaseUrl).toBeUndefined();
    const url = 'postgres://app:s3cret@db.internal:5432/tessera';
    expect(configFromEnv(readEnv({ DATABASE_URL: url })).databaseUrl).toBe(url);
    let message = '';
    try {
      readEnv({ DATABASE_URL: 'mysql://app:s3cret@db/x' });
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      message = (error as Error).message;
    }
    expect(message).toContain('DATABASE_URL=(hidden)');
    expect(message).toMatch(/postgres:\/\//);
    expect(message).not.toContain('s3cret');
  });

  it('reads the SSO providers: all of a provider or none, secrets never printed, GitHub URLs defaulted', () => {
    expect(configFromEnv(readEnv({})).sso).toEqual({ oidc: undefined, github: undefined });
    const sso = configFromEnv(
      readEnv({
        OIDC_ISSUER: 'https://id.example.com/realms/main',
        OIDC_CLIENT_ID: 'tessera',
        OIDC_CLIENT_SECRET: 'oidc-secret',
        OIDC_NAME: 'Example ID',
        GITHUB_CLIENT_ID: 'Iv1.abc',
        GITHUB_CLIENT_SECRET: 'gh-secret',
      }),
    ).sso;
    expect(sso).toEqual({
      oidc: {
        issuer: 'https://id.example.com/realms/main',
        clientId: 'tessera',
        clientSecret: 'oidc-secret',
        name: 'Example ID',
      },
      github: {
        clientId: 'Iv1.abc',
        clientSecret: 'gh-secret',
        baseUrl: 'https://github.com',
        apiUrl: 'https://api.github.com',
      },
    });
    let message = '';
    try {
      readEnv({
        OIDC_ISSUER: 'id.example.com',
        OIDC_CLIENT_SECRET: 'leaky-secret',
        GITHUB_CLIENT_SECRET: 'gh-leak',
      });
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      message = (error as Error).message;
    }
    expect(message).toContain('OIDC_ISSUER="id.example.com"');
    expect(message).toContain('GITHUB_CLIENT_ID=""');
    expect(message).not.toContain('leaky-secret');
    expect(message).not.toContain('gh-leak');
    expect(() => readEnv({ OIDC_ISSUER: 'https://id.example.com', OIDC_CLIENT_ID: 'x' })).toThrow(
      /OIDC_CLIENT_SECRET/,
    );
  });
});
