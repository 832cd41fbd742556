// GitHub is OAuth 2.0, not OpenID Connect: no ID token, and the verified address comes from the
// /user/emails API. arctic's GitHub class has github.com's URLs built in, so this uses arctic's
// generic OAuth2Client with URLs from the configuration (GitHub Enterprise, a fake on loopback in
// tests). GitHub supports PKCE, so it is used as for OIDC.
import { CodeChallengeMethod, OAuth2Client } from 'arctic';
import { type SsoConfig, SsoError, type SsoProfile, type SsoProvider } from './types.ts';

const FETCH_TIMEOUT_MS = 10_000;

interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

export function createGitHubProvider(config: NonNullable<SsoConfig['github']>): SsoProvider {
  const base = config.baseUrl.replace(/\/+$/, '');
  const api = config.apiUrl.replace(/\/+$/, '');
  const client = (redirectUri: string) =>
    new OAuth2Client(config.clientId, config.clientSecret, redirectUri);

  async function getJson(path: string, accessToken: string): Promise<unknown> {
    const response = await fetch(`${api}${path}`, {
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: 'application/vnd.github+json',
        'user-agent': 'tessera',
      },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`GitHub ${path} answered ${response.status}`);
    return response.json();
  }

  return {
    id: 'github',
    label: 'GitHub',

    async authorizationUrl(attempt, redirectUri) {
      return client(redirectUri).createAuthorizationURLWithPKCE(
        `${base}/login/oauth/authorize`,
        attempt.state,
        CodeChallengeMethod.S256,
        attempt.codeVerifier,
        ['read:user', 'user:email'],
      );
    },

    async profile(input, redirectUri): Promise<SsoProfile> {
      try {
        const tokens = await client(redirectUri).validateAuthorizationCode(
          `${base}/login/oauth/access_token`,
          input.code,
          input.codeVerifier,
        );
        const accessToken = tokens.accessToken();
        const user = (await getJson('/user', accessToken)) as {
          id?: unknown;
          login?: unknown;
          name?: unknown;
        };
        if (typeof user.id !== 'number' && typeof user.id !== 'string') {
          throw new Error('GitHub /user has no id');
        }
        const emails = await getJson('/user/emails', accessToken);
        // Only the primary address, and only if GitHub has verified it: the public profile email
        // is whatever the user typed.
        const primary = Array.isArray(emails)
          ? (emails as GitHubEmail[]).find((e) => e?.primary === true && e.verified === true)
          : undefined;
        const name = typeof user.name === 'string' && user.name ? user.name : null;
        const login = typeof user.login === 'string' ? user.login : null;
        return {
          subject: String(user.id),
          email: primary?.email ?? null,
          emailVerified: primary !== undefined,
          displayName: name ?? login,
        };
      } catch (error) {
        throw new SsoError('PROVIDER_ERROR', 'The GitHub sign-in could not be completed.', {
          cause: error,
        });
      }
    },
  };
}
