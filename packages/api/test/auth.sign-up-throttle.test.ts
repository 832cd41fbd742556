// Sign-up answers EMAIL_TAKEN, so each attempt asks "has this address an account?": it is
// throttled per email and per network like a failed sign-in, before anything is revealed.
import type { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it } from 'vitest';
import { networkOf, SIGNUP_EMAIL_BUCKET, SIGNUP_NETWORK_BUCKET } from '../src/auth/throttle.ts';
import type { DomainError } from '../src/errors.ts';
import { Browser, type EngineTestApi, openTestApi, STRONG_PASSWORD, signedUp } from './harness.ts';

async function signUp(
  api: EngineTestApi,
  email: string,
  browser: Browser,
  password = STRONG_PASSWORD,
) {
  try {
    await api.caller(browser).auth.signUp({ email, password });
    return { outcome: 'ok' };
  } catch (error) {
    const cause = (error as TRPCError).cause as DomainError;
    return { outcome: cause.code as string, retryAfterSeconds: cause.details.retryAfterSeconds };
  }
}

let counter = 0;
const freshNetwork = () => new Browser(`198.51.${++counter % 250}.${counter % 200}`);

describe('sign-up throttling', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('stops probing one email from ever-changing networks, and says when to retry', async () => {
    api = await openTestApi();
    await signedUp(api, 'known@example.com');
    // The owner's own sign-up took the first token.
    const left = SIGNUP_EMAIL_BUCKET.capacity - 1;
    const outcomes: string[] = [];
    for (let i = 0; i < left + 3; i++)
      outcomes.push((await signUp(api, 'Known@example.com', freshNetwork())).outcome);
    expect(outcomes).toEqual([
      ...Array(left).fill('EMAIL_TAKEN'),
      ...Array(3).fill('TOO_MANY_ATTEMPTS'),
    ]);
    // A password the policy refuses is answered first: it asks nothing about the email.
    expect((await signUp(api, 'known@example.com', freshNetwork(), 'password')).outcome).toBe(
      'WEAK_PASSWORD',
    );

    const refused = await signUp(api, 'known@example.com', freshNetwork());
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    api.clock.advance(refused.retryAfterSeconds! * 1000);
    expect((await signUp(api, 'known@example.com', freshNetwork())).outcome).toBe('EMAIL_TAKEN');
  });

  it('stops enumerating many emails from one network (an IPv6 /64 is one network)', async () => {
    api = await openTestApi();
    const outcomes: string[] = [];
    for (let i = 0; i < SIGNUP_NETWORK_BUCKET.capacity + 2; i++) {
      // Each from another address in the same /64, as one host can hold them all.
      const browser = new Browser(`2001:db8:1:2:${i.toString(16)}::1`);
      outcomes.push((await signUp(api, `probe${i}@example.com`, browser)).outcome);
    }
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(SIGNUP_NETWORK_BUCKET.capacity);
    expect(outcomes.slice(-2)).toEqual(['TOO_MANY_ATTEMPTS', 'TOO_MANY_ATTEMPTS']);
    // Another network is not held up by it.
    expect(
      (await signUp(api, 'neighbour@example.com', new Browser('2001:db8:1:3::1'))).outcome,
    ).toBe('ok');
    const [counted] = await api.sql<{ n: number }>('select count(*) as n from users');
    expect(Number(counted!.n)).toBe(SIGNUP_NETWORK_BUCKET.capacity + 1);
  });

  it('groups addresses into networks', () => {
    expect(networkOf('203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('2001:db8:0:0:1::5')).toBe('2001:db8:0:0::/64');
    expect(networkOf('2001:DB8::1%eth0')).toBe('2001:db8:0:0::/64');
    expect(networkOf('::1')).toBe('0:0:0:0::/64');
  });
});
