import type { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNT_BUCKET, ADDRESS_BUCKET } from '../src/auth/throttle.ts';
import type { DomainError } from '../src/errors.ts';
import { Browser, type EngineTestApi, openTestApi, STRONG_PASSWORD, signedUp } from './harness.ts';

type Outcome = 'ok' | 'INVALID_CREDENTIALS' | 'TOO_MANY_ATTEMPTS';

async function attempt(
  api: EngineTestApi,
  email: string,
  password: string,
  browser = new Browser(),
) {
  try {
    await api.caller(browser).auth.signIn({ email, password });
    return { outcome: 'ok' as Outcome };
  } catch (error) {
    const cause = (error as TRPCError).cause as DomainError;
    return { outcome: cause.code as Outcome, retryAfterSeconds: cause.details.retryAfterSeconds };
  }
}

// Each attacker request comes from a different address, so only the account bucket applies.
let addressCounter = 0;
const freshAddress = () => new Browser(`192.0.2.${++addressCounter % 250}-${addressCounter}`);

describe('failed sign-in throttling', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('stops guessing after a burst, says when to retry, and lets the owner in after that', async () => {
    api = await openTestApi();
    await signedUp(api, 'target@example.com');
    for (let i = 0; i < ACCOUNT_BUCKET.capacity; i++) {
      expect(
        (await attempt(api, 'target@example.com', `guess-${i}-xxxx`, freshAddress())).outcome,
      ).toBe('INVALID_CREDENTIALS');
    }
    const refused = await attempt(api, 'target@example.com', STRONG_PASSWORD, freshAddress());
    expect(refused.outcome).toBe('TOO_MANY_ATTEMPTS');
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(40);

    api.clock.advance(refused.retryAfterSeconds! * 1000);
    expect(
      (await attempt(api, 'target@example.com', STRONG_PASSWORD, freshAddress())).outcome,
    ).toBe('ok');
    // Success forgets the failures: the owner is not one typo away from waiting again.
    expect(
      (await attempt(api, 'target@example.com', 'typo-typo-typo', freshAddress())).outcome,
    ).toBe('INVALID_CREDENTIALS');
  });

  it('allows no more than 100 failures in an hour against one account', async () => {
    api = await openTestApi();
    await signedUp(api, 'hour@example.com');
    let failures = 0;
    // An attacker tries every 5 seconds for an hour from ever-changing addresses.
    for (let second = 0; second < 3600; second += 5) {
      const { outcome } = await attempt(
        api,
        'hour@example.com',
        `guess-${second}-xx`,
        freshAddress(),
      );
      if (outcome === 'INVALID_CREDENTIALS') failures++;
      api.clock.advance(5000);
    }
    expect(failures).toBeLessThanOrEqual(100);
    expect(failures).toBeGreaterThan(50); // throttled, not locked out
  }, 120_000);

  it('throttles unknown emails exactly like known ones', async () => {
    api = await openTestApi();
    await signedUp(api, 'real@example.com');
    const run = async (email: string) => {
      const outcomes: Outcome[] = [];
      for (let i = 0; i <= ACCOUNT_BUCKET.capacity; i++) {
        outcomes.push((await attempt(api, email, 'not-the-password', freshAddress())).outcome);
      }
      return outcomes;
    };
    expect(await run('ghost@example.com')).toEqual(await run('real@example.com'));
  });

  it('limits one address spraying many accounts', async () => {
    api = await openTestApi();
    const sprayer = new Browser('198.51.100.99');
    const outcomes: Outcome[] = [];
    for (let i = 0; i <= ADDRESS_BUCKET.capacity; i++) {
      outcomes.push(
        (await attempt(api, `user${i}@example.com`, 'spray-password', sprayer)).outcome,
      );
    }
    expect(outcomes.slice(0, -1).every((o) => o === 'INVALID_CREDENTIALS')).toBe(true);
    expect(outcomes.at(-1)).toBe('TOO_MANY_ATTEMPTS');
    // Someone at another address is unaffected.
    await signedUp(api, 'bystander@example.com');
    expect((await attempt(api, 'bystander@example.com', STRONG_PASSWORD)).outcome).toBe('ok');
  });

  it('cannot be raced: parallel guesses take tokens one at a time', async () => {
    api = await openTestApi();
    await signedUp(api, 'race@example.com');
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        attempt(api, 'race@example.com', `parallel-${i}-x`, freshAddress()),
      ),
    );
    const invalid = results.filter((r) => r.outcome === 'INVALID_CREDENTIALS').length;
    expect(invalid).toBe(ACCOUNT_BUCKET.capacity);
  });
});
