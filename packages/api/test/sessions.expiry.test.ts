import { afterEach, describe, expect, it } from 'vitest';
import {
  SESSION_ABSOLUTE_LIFETIME_MS,
  SESSION_INACTIVITY_TIMEOUT_MS,
  SESSION_TOUCH_INTERVAL_MS,
} from '../src/auth/session-policy.ts';
import { type EngineTestApi, openTestApi, signedUp } from './harness.ts';

const DAY = 86_400_000;

describe('session lifetime', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('ends at the absolute lifetime even for a session used every day', async () => {
    api = await openTestApi();
    const { browser } = await signedUp(api, 'daily@example.com');
    const days = SESSION_ABSOLUTE_LIFETIME_MS / DAY;
    for (let day = 1; day < days; day++) {
      api.clock.advance(DAY);
      expect(await api.caller(browser).auth.me(), `day ${day}`).not.toBeNull();
    }
    api.clock.advance(DAY);
    expect(await api.caller(browser).auth.me()).toBeNull();
  });

  it('ends after the inactivity timeout, and activity slides that window', async () => {
    api = await openTestApi();
    const { browser } = await signedUp(api, 'idle@example.com');
    api.clock.advance(SESSION_INACTIVITY_TIMEOUT_MS - DAY);
    expect(await api.caller(browser).auth.me()).not.toBeNull(); // seen: window slides
    api.clock.advance(SESSION_INACTIVITY_TIMEOUT_MS - DAY);
    expect(await api.caller(browser).auth.me()).not.toBeNull();
    api.clock.advance(SESSION_INACTIVITY_TIMEOUT_MS);
    expect(await api.caller(browser).auth.me()).toBeNull();
  });

  it('writes "last seen" at most once per touch interval', async () => {
    api = await openTestApi();
    const { browser } = await signedUp(api, 'touch@example.com');
    const lastSeen = async () =>
      (await api.caller(browser).auth.sessions())[0]!.lastSeenAt.getTime();
    const start = await lastSeen();
    api.clock.advance(SESSION_TOUCH_INTERVAL_MS / 2);
    expect(await lastSeen()).toBe(start);
    api.clock.advance(SESSION_TOUCH_INTERVAL_MS);
    expect(await lastSeen()).toBe(api.clock.now.getTime());
  });
});
