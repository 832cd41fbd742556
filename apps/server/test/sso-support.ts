// Drives an SSO sign-in the way a browser tab would: follows redirects across Tessera and the
// provider, keeps cookies, and submits the provider's login and consent forms.
import { expect } from 'vitest';
import type { CookieFetch } from './harness.ts';

export interface FlowOptions {
  /** Rewrites a redirect before it is followed (to tamper with the callback). */
  onRedirect?: (url: URL) => URL | undefined;
  /** Runs just before the browser reaches Tessera's callback. */
  beforeCallback?: () => void;
}

/** Requests `url` and follows redirects; returns the final URL and response. */
export async function follow(
  browser: CookieFetch,
  url: string,
  init: RequestInit = {},
  options: FlowOptions = {},
): Promise<{ url: URL; response: Response }> {
  let current = new URL(url);
  let request: RequestInit = init;
  for (let hops = 0; hops < 20; hops += 1) {
    if (current.pathname.includes('/api/auth/sso/') && current.pathname.endsWith('/callback'))
      options.beforeCallback?.();
    const response = await browser.fetch(current, { ...request, redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) {
      return { url: current, response };
    }
    await response.body?.cancel();
    const next = new URL(location, current);
    current = options.onRedirect?.(next) ?? next;
    request = {};
  }
  throw new Error('too many redirects');
}

function formAction(html: string, page: URL): URL {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  expect(action, `a form on ${page}: ${html.slice(0, 300)}`).toBeTruthy();
  return new URL(action!, page);
}

const formPost = (body: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(body).toString(),
});

/**
 * Clicks "Sign in with <issuer>" on Tessera, signs in at the provider as `login`, consents, and
 * returns where the browser lands back on Tessera.
 */
export async function signInAtIssuer(
  browser: CookieFetch,
  appUrl: string,
  login: string,
  options: FlowOptions = {},
): Promise<URL> {
  const loginPage = await follow(browser, `${appUrl}/api/auth/sso/oidc/start`, {}, options);
  expect(loginPage.response.status).toBe(200);
  const loginHtml = await loginPage.response.text();
  expect(loginHtml).toContain('Test issuer sign-in');
  const consentPage = await follow(
    browser,
    formAction(loginHtml, loginPage.url).toString(),
    formPost({ login }),
    options,
  );
  const consentHtml = await consentPage.response.text();
  expect(consentHtml).toContain('Authorize Tessera');
  const landed = await follow(
    browser,
    formAction(consentHtml, consentPage.url).toString(),
    formPost({}),
    options,
  );
  return landed.url;
}
