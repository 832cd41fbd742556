// The shape every identity provider has here: send the browser to an authorization URL, and turn
// the code it comes back with into a verified profile. Nothing else in the app knows which it is.

export const SSO_PROVIDER_IDS = ['oidc', 'github'] as const;
export type SsoProviderId = (typeof SSO_PROVIDER_IDS)[number];

/** Who the provider says signed in. `subject` is its stable id for the account. */
export interface SsoProfile {
  subject: string;
  email: string | null;
  /** The provider vouches that the address is the account holder's. */
  emailVerified: boolean;
  displayName: string | null;
}

/** The values a sign-in attempt keeps between start and callback (in short-lived cookies). */
export interface SsoAttempt {
  state: string;
  codeVerifier: string;
  nonce: string;
}

export interface SsoProvider {
  id: SsoProviderId;
  /** The sign-in button's label. */
  label: string;
  authorizationUrl(attempt: SsoAttempt, redirectUri: string): Promise<URL>;
  /** Exchanges the code (with the PKCE verifier) and returns the checked profile; throws SsoError. */
  profile(
    input: { code: string; codeVerifier: string; nonce: string },
    redirectUri: string,
  ): Promise<SsoProfile>;
}

/** SSO settings from the environment; a provider is enabled when its block is present. */
export interface SsoConfig {
  oidc?: { issuer: string; clientId: string; clientSecret: string; name?: string };
  /** `baseUrl` (github.com) and `apiUrl` (api.github.com) are settable for GitHub Enterprise and tests. */
  github?: { clientId: string; clientSecret: string; baseUrl: string; apiUrl: string };
}

/**
 * Why an SSO sign-in did not end signed in; the SPA's sign-in page shows a message per reason.
 * PROVIDER_ERROR covers everything between us and the provider (it refused, a token did not
 * verify, the provider was unreachable); the details go to the log, not the browser.
 */
export const SSO_FAILURES = [
  /** The callback's state is not the one this browser started with (a forged or crossed callback). */
  'STATE_MISMATCH',
  /** The attempt's cookies (PKCE verifier, nonce) are gone: too slow, or cookies blocked. */
  'ATTEMPT_EXPIRED',
  'PROVIDER_ERROR',
  'ACCESS_DENIED',
  'EMAIL_MISSING',
  'EMAIL_NOT_VERIFIED',
  'ACCOUNT_NOT_VERIFIED',
  'ACCOUNT_DISABLED',
  /** No account has the address, and sign-up is closed or invite-only (decision 022). */
  'SIGNUP_CLOSED',
] as const;
export type SsoFailure = (typeof SSO_FAILURES)[number];

export class SsoError extends Error {
  override readonly name = 'SsoError';
  constructor(
    readonly reason: SsoFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
