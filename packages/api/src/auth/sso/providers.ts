import { generateCodeVerifier, generateState } from 'arctic';
import { createGitHubProvider } from './github.ts';
import { createOidcProvider } from './oidc.ts';
import type { SsoAttempt, SsoConfig, SsoProvider, SsoProviderId } from './types.ts';

export type SsoProviders = Partial<Record<SsoProviderId, SsoProvider>>;

/** The providers the configuration enables; building one touches no network. */
export function createSsoProviders(config: SsoConfig): SsoProviders {
  return {
    ...(config.oidc ? { oidc: createOidcProvider(config.oidc) } : {}),
    ...(config.github ? { github: createGitHubProvider(config.github) } : {}),
  };
}

/** Fresh random values for one sign-in attempt (state, PKCE verifier, nonce). */
export function newSsoAttempt(): SsoAttempt {
  return { state: generateState(), codeVerifier: generateCodeVerifier(), nonce: generateState() };
}
