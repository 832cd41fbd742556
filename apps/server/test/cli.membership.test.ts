import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliRunner } from './harness.ts';
import { openTestStorage, type TestStorage } from './test-storage.ts';

const DAY = 86_400_000;

describe('membership CLI', () => {
  let storage: TestStorage;
  let clock: Date;
  const runner = cliRunner(
    () => storage.config,
    () => clock,
  );
  const { err, json } = runner;
  const cli = runner.run;

  beforeEach(async () => {
    storage = await openTestStorage();
    clock = new Date('2026-05-01T00:00:00Z');
    await storage.stores.catalog.seedDemo(clock);
    expect(await cli('user:create', 'ann@example.com', '--password', 'a sturdy passphrase')).toBe(
      0,
    );
    expect(await cli('user:create', 'ben@example.com', '--password', 'another sturdy one')).toBe(0);
  });
  afterEach(() => storage.close());

  it('grants with --days, extends from the current end, lists, and revokes', async () => {
    expect(await cli('mark:grant', 'ann@example.com', 'pro', '--days', '3', '--json')).toBe(0);
    expect(json()).toEqual({
      email: 'ann@example.com',
      markKey: 'pro',
      event: 'membership.granted',
      expiresAt: new Date(clock.getTime() + 3 * DAY).toISOString(),
    });

    clock = new Date(clock.getTime() + DAY);
    expect(await cli('mark:grant', 'ann@example.com', 'pro', '--days', '2', '--json')).toBe(0);
    expect(json()).toMatchObject({
      event: 'membership.extended',
      expiresAt: '2026-05-06T00:00:00.000Z',
    });

    expect(await cli('mark:list', 'ann@example.com', '--json')).toBe(0);
    expect(json()).toEqual([
      expect.objectContaining({
        markKey: 'pro',
        activeNow: true,
        status: 'active',
        expiresAt: '2026-05-06T00:00:00.000Z',
      }),
      expect.objectContaining({
        markKey: 'free',
        activeNow: true,
        source: 'signup',
        expiresAt: null,
      }),
    ]);

    expect(await cli('mark:revoke', 'ann@example.com', 'pro', '--reason', 'refund', '--json')).toBe(
      0,
    );
    expect(await cli('mark:list', 'ann@example.com', '--json')).toBe(0);
    expect(json()).toContainEqual(
      expect.objectContaining({ markKey: 'pro', activeNow: false, status: 'revoked' }),
    );

    expect(await cli('mark:revoke', 'ann@example.com', 'pro', '--json')).toBe(1);
    expect(json().error.code).toBe('NOT_FOUND');
  });

  it('creates a vendor, and explains bad input without writing', async () => {
    expect(
      await cli(
        'vendor:create',
        'globex',
        '--owner',
        'ben@example.com',
        '--name',
        'Globex',
        '--json',
      ),
    ).toBe(0);
    expect(json()).toMatchObject({ slug: 'globex', name: 'Globex', owner: 'ben@example.com' });

    expect(await cli('vendor:create', 'Bad:Slug', '--owner', 'ben@example.com', '--json')).toBe(1);
    expect(json().error).toMatchObject({
      code: 'VALIDATION',
      details: { fieldErrors: { slug: ['SLUG_INVALID'] } },
    });
    expect(await cli('vendor:create', 'initech')).toBe(2);
    expect(err.join('\n')).toContain('--owner');
    expect(await cli('mark:grant', 'nobody@example.com', 'pro')).toBe(1);
    expect(err.join('\n')).toContain('NOT_FOUND');
    expect(await cli('mark:grant', 'ann@example.com', 'nope:mark')).toBe(1);
    expect(await cli('mark:grant', 'ann@example.com', 'pro', '--days', '0')).toBe(2);
    expect(await cli('mark:list', 'ann@example.com', '--json')).toBe(0);
    expect(json().map((m: { markKey: string }) => m.markKey)).toEqual(['free']);
  });
});
