// Sign-in through an identity provider (decision 023): two plain GET routes per provider.
// `start` keeps the attempt's state, PKCE verifier and nonce in short-lived cookies and sends the
// browser to the provider; `callback` checks them against what comes back, has the provider's
// profile verified (ID token, or GitHub's API) and signs in exactly as a password would. Every
// outcome ends in a redirect: home when signed in, else the sign-in page with `?sso_error=REASON`.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ApiDeps,
  newSsoAttempt,
  readCookie,
  readSessionToken,
  type SsoAttempt,
  SsoError,
  type SsoFailure,
  type SsoProfile,
  type SsoProviderId,
  type SsoSignInResult,
  type Stores,
  serializeCookie,
  signInWithSso,
  writeSessionCookie,
} from '@tessera/api';
import type { Logger } from '../logger.ts';
import { requestMeta } from './request-meta.ts';

export const SSO_PREFIX = '/api/auth/sso/';
const ATTEMPT_LIFETIME_MS = 10 * 60 * 1000;
const HOME = '/chat';
const SIGN_IN = '/sign-in';

const COOKIES = {
  state: 'tessera_sso_state',
  codeVerifier: 'tessera_sso_verifier',
  nonce: 'tessera_sso_nonce',
} as const satisfies Record<keyof SsoAttempt, string>;

function redirect(res: ServerResponse, location: string) {
  res.writeHead(302, { location, 'cache-control': 'no-store' }).end();
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createSsoHandler(options: {
  deps: ApiDeps;
  /** Where the sign-in's accounts, links and sessions are stored, on either engine. */
  stores: Stores;
  trustProxy: boolean;
  logger: Logger;
}) {
  const { deps, stores, logger } = options;

  /** Where the provider sends the browser back: PUBLIC_URL, else the host the browser used. */
  function redirectUri(req: IncomingMessage, provider: SsoProviderId) {
    const origin = deps.publicOrigin ?? `http://${req.headers.host ?? 'localhost'}`;
    return `${origin}${SSO_PREFIX}${provider}/callback`;
  }

  // Scoped to this provider's routes, so the cookies travel nowhere else.
  function setAttemptCookie(
    res: ServerResponse,
    provider: SsoProviderId,
    name: string,
    value: string,
    expires: Date,
  ) {
    res.appendHeader(
      'set-cookie',
      serializeCookie(name, value, {
        httpOnly: true,
        // Lax: the callback is a top-level navigation from the provider's site, which Lax allows.
        sameSite: 'lax',
        secure: deps.secureCookies,
        path: `${SSO_PREFIX}${provider}/`,
        expires,
      }),
    );
  }

  function fail(res: ServerResponse, reason: SsoFailure) {
    redirect(res, `${SIGN_IN}?sso_error=${reason}`);
  }

  async function start(req: IncomingMessage, res: ServerResponse, provider: SsoProviderId) {
    const sso = deps.sso?.[provider];
    if (!sso) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    const attempt = newSsoAttempt();
    let url: URL;
    try {
      url = await sso.authorizationUrl(attempt, redirectUri(req, provider));
    } catch (error) {
      logger.warn({ err: error, provider }, 'SSO start failed');
      return fail(res, error instanceof SsoError ? error.reason : 'PROVIDER_ERROR');
    }
    const expires = new Date(deps.now().getTime() + ATTEMPT_LIFETIME_MS);
    for (const key of Object.keys(COOKIES) as (keyof SsoAttempt)[]) {
      setAttemptCookie(res, provider, COOKIES[key], attempt[key], expires);
    }
    redirect(res, url.toString());
  }

  async function callback(req: IncomingMessage, res: ServerResponse, provider: SsoProviderId) {
    const sso = deps.sso?.[provider];
    if (!sso) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    const cookie = (name: string) => readCookie(req.headers.cookie, name);
    const saved = {
      state: cookie(COOKIES.state),
      codeVerifier: cookie(COOKIES.codeVerifier),
      nonce: cookie(COOKIES.nonce),
    };
    // An attempt is good for one callback, whatever its outcome.
    for (const name of Object.values(COOKIES))
      setAttemptCookie(res, provider, name, '', new Date(0));

    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const state = query.get('state');
    // The state ties the callback to the browser that started it: without it, anyone could sign a
    // victim's browser into the attacker's account (login CSRF).
    if (!state || !saved.state || !sameSecret(state, saved.state)) {
      return fail(res, 'STATE_MISMATCH');
    }
    if (!saved.codeVerifier || !saved.nonce) return fail(res, 'ATTEMPT_EXPIRED');
    const providerError = query.get('error');
    if (providerError)
      return fail(res, providerError === 'access_denied' ? 'ACCESS_DENIED' : 'PROVIDER_ERROR');
    const code = query.get('code');
    if (!code) return fail(res, 'PROVIDER_ERROR');

    let profile: SsoProfile;
    try {
      profile = await sso.profile(
        { code, codeVerifier: saved.codeVerifier, nonce: saved.nonce },
        redirectUri(req, provider),
      );
    } catch (error) {
      logger.warn({ err: error, provider }, 'SSO callback refused');
      return fail(res, error instanceof SsoError ? error.reason : 'PROVIDER_ERROR');
    }

    const meta = requestMeta(req, options.trustProxy);
    let result: SsoSignInResult;
    try {
      result = await signInWithSso(stores, {
        provider,
        profile,
        ip: meta.ip,
        userAgent: meta.userAgent,
        now: deps.now(),
        timeZone: deps.timeZone,
      });
    } catch (error) {
      // A racing link of the same outside account, or a fault: the page says "try again".
      logger.error({ err: error, provider }, 'SSO sign-in failed');
      return fail(res, 'PROVIDER_ERROR');
    }
    if (!result.ok) {
      logger.info({ provider, reason: result.reason }, 'SSO sign-in refused');
      return fail(res, result.reason);
    }
    if (result.status === 'second_factor_required') {
      // The code step is the sign-in page's. The token rides in the fragment, which the browser
      // never sends to a server or in a Referer; the page reads it and removes it from history.
      return redirect(res, `${SIGN_IN}#second-factor=${encodeURIComponent(result.pendingToken)}`);
    }
    // A session cookie that came with the callback (perhaps planted) ends here, as at sign-in.
    const jar = {
      get: (name: string) => readCookie(req.headers.cookie, name),
      set: (name: string, value: string, o: Parameters<typeof serializeCookie>[2]) =>
        res.appendHeader('set-cookie', serializeCookie(name, value, o)),
    };
    const previous = readSessionToken(jar, deps.secureCookies);
    if (previous) await stores.auth.endSessionByToken(previous);
    writeSessionCookie(jar, deps.secureCookies, result.token, result.session.expiresAt);
    redirect(res, HOME);
  }

  return {
    start: (provider: SsoProviderId) => (req: IncomingMessage, res: ServerResponse) =>
      start(req, res, provider),
    callback: (provider: SsoProviderId) => (req: IncomingMessage, res: ServerResponse) =>
      callback(req, res, provider),
  };
}
