// Sign-in with OpenID Connect in the browser (issue 14, decision 023): Chromium clicks "Continue
// with …" on the sign-in page, signs in on a real OpenID Provider's pages (the oidc-provider
// package on loopback), consents, and lands signed in with the identity on the Account page (and
// unlinks it there). A
// refused link comes back to the sign-in page with its reason shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../server/src/config.ts';
import { startTestIssuer, type TestIssuer } from '../../server/testing/oidc-issuer/index.ts';
import { e2eServer } from './harness.ts';

// The issuer listens first (its URL goes into the app's configuration, read when the app starts in
// e2eServer's beforeAll); the client is registered once the app's callback URL is known.
const config: Partial<AppConfig> = {};
let idp: TestIssuer;
beforeAll(async () => {
  idp = await startTestIssuer();
  config.sso = {
    oidc: {
      issuer: idp.issuer,
      clientId: 'tessera-e2e',
      clientSecret: 'e2e-secret',
      name: 'Test ID',
    },
  };
});
const server = e2eServer('sso', config);
beforeAll(() => {
  idp.configure({
    clientId: 'tessera-e2e',
    clientSecret: 'e2e-secret',
    redirectUris: [`${server.app.url}/api/auth/sso/oidc/callback`],
  });
});
afterAll(() => idp?.close());

describe('single sign-on in the browser', () => {
  it('signs in with the OpenID provider and shows the linked identity on the Account page', async () => {
    idp.accounts.set('ada', { email: 'ada@example.com', email_verified: true, name: 'Ada' });
    const { page } = await server.visitor();
    await page.goto('/sign-in');
    const button = page.getByTestId('sso-oidc');
    await expect.poll(() => button.textContent()).toContain('Continue with Test ID');
    await button.click();

    // The provider's own pages: sign in, then consent.
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    await page.locator('input[name=login]').fill('ada');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.waitForURL('**/chat');
    await page.goto('/account');
    const identity = page.getByTestId('identity-oidc');
    await identity.waitFor();
    expect(await identity.textContent()).toContain('ada@example.com');

    // Unlinking removes it from the list (the account and this session stay).
    await identity.getByTestId('identity-unlink').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: 'Unlink' }).click();
    await page.getByTestId('identities-card').getByText('No outside account is linked').waitFor();
    expect(await page.getByTestId('identity-oidc').count()).toBe(0);
  });

  it('refuses to link an account whose address was never verified, and says why', async () => {
    // Someone signed up with this address and a password of their own; it was never verified.
    await server.signUp('owner@example.com', { verified: false });
    idp.accounts.set('owner-at-idp', { email: 'owner@example.com', email_verified: true });
    const { page } = await server.visitor();
    await page.goto('/sign-in');
    await page.getByTestId('sso-oidc').click();
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    await page.locator('input[name=login]').fill('owner-at-idp');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.waitForURL('**/sign-in?sso_error=ACCOUNT_NOT_VERIFIED');
    const alert = page.getByTestId('sso-error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('its address was never verified');
  });
});
