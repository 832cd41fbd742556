// Any OpenID Connect issuer: endpoints and keys from its discovery document (fetched on first use
// and kept; never fetched unless OIDC_ISSUER is set), the code exchanged by arctic's generic
// OAuth2Client with PKCE, and the ID token verified by jose — arctic only decodes ID tokens.
import { CodeChallengeMethod, OAuth2Client } from 'arctic';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { type SsoConfig, SsoError, type SsoProfile, type SsoProvider } from './types.ts';

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
}

const FETCH_TIMEOUT_MS = 10_000;

function isDiscovery(value: unknown): value is Discovery {
  const d = value as Record<string, unknown> | null;
  return (
    !!d &&
    typeof d.issuer === 'string' &&
    typeof d.authorization_endpoint === 'string' &&
    typeof d.token_endpoint === 'string' &&
    typeof d.jwks_uri === 'string'
  );
}

/** `true` and the string `"true"` both occur in the wild. */
const claimIsTrue = (value: unknown) => value === true || value === 'true';
const stringClaim = (value: unknown) =>
  typeof value === 'string' && value.length > 0 ? value : null;

export function createOidcProvider(config: NonNullable<SsoConfig['oidc']>): SsoProvider {
  const issuer = config.issuer.replace(/\/+$/, '');
  let discovered: Promise<{ doc: Discovery; keys: ReturnType<typeof createRemoteJWKSet> }> | null =
    null;

  function discover() {
    discovered ??= (async () => {
      const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`discovery answered ${response.status}`);
      const doc: unknown = await response.json();
      if (!isDiscovery(doc)) throw new Error('discovery document lacks required endpoints');
      // OpenID Connect Discovery §4.3: the document must name the issuer it was fetched from.
      if (doc.issuer.replace(/\/+$/, '') !== issuer) {
        throw new Error(`discovery names issuer ${doc.issuer}, expected ${issuer}`);
      }
      return { doc, keys: createRemoteJWKSet(new URL(doc.jwks_uri)) };
    })().catch((error: unknown) => {
      discovered = null; // try again on the next sign-in rather than failing forever
      throw new SsoError('PROVIDER_ERROR', 'OpenID discovery failed.', { cause: error });
    });
    return discovered;
  }

  const client = (redirectUri: string) =>
    new OAuth2Client(config.clientId, config.clientSecret, redirectUri);

  return {
    id: 'oidc',
    label: config.name ?? 'OpenID Connect',

    async authorizationUrl(attempt, redirectUri) {
      const { doc } = await discover();
      const url = client(redirectUri).createAuthorizationURLWithPKCE(
        doc.authorization_endpoint,
        attempt.state,
        CodeChallengeMethod.S256,
        attempt.codeVerifier,
        ['openid', 'email', 'profile'],
      );
      url.searchParams.set('nonce', attempt.nonce);
      return url;
    },

    async profile(input, redirectUri) {
      const { doc, keys } = await discover();
      let claims: JWTPayload;
      let accessToken: string;
      try {
        const tokens = await client(redirectUri).validateAuthorizationCode(
          doc.token_endpoint,
          input.code,
          input.codeVerifier,
        );
        accessToken = tokens.accessToken();
        // Signature against the issuer's published keys, then iss, aud and exp (jose checks exp
        // and nbf by default).
        ({ payload: claims } = await jwtVerify(tokens.idToken(), keys, {
          issuer: doc.issuer,
          audience: config.clientId,
        }));
      } catch (error) {
        throw new SsoError('PROVIDER_ERROR', 'The code exchange or ID token check failed.', {
          cause: error,
        });
      }
      if (claims.nonce !== input.nonce) {
        throw new SsoError('PROVIDER_ERROR', 'The ID token was not issued for this sign-in.');
      }
      // With several audiences the token must have been issued to us (OIDC Core §3.1.3.7).
      if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims.azp !== config.clientId) {
        throw new SsoError('PROVIDER_ERROR', 'The ID token was issued to another client.');
      }
      const subject = stringClaim(claims.sub);
      if (!subject) throw new SsoError('PROVIDER_ERROR', 'The ID token names no subject.');

      // In the code flow many issuers put email and profile claims in UserInfo, not the ID token.
      let extra: Record<string, unknown> = {};
      if (stringClaim(claims.email) === null && doc.userinfo_endpoint) {
        extra = await fetchUserInfo(doc.userinfo_endpoint, accessToken, subject);
      }
      const merged: Record<string, unknown> = { ...extra, ...claims };
      return profileOf(subject, merged);
    },
  };
}

async function fetchUserInfo(endpoint: string, accessToken: string, subject: string) {
  let info: Record<string, unknown>;
  try {
    const response = await fetch(endpoint, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`userinfo answered ${response.status}`);
    info = (await response.json()) as Record<string, unknown>;
  } catch (error) {
    throw new SsoError('PROVIDER_ERROR', 'The UserInfo request failed.', { cause: error });
  }
  // OIDC Core §5.3.2: UserInfo about someone else must not be used.
  if (info.sub !== subject) {
    throw new SsoError('PROVIDER_ERROR', 'UserInfo describes another subject.');
  }
  return info;
}

function profileOf(subject: string, claims: Record<string, unknown>): SsoProfile {
  const email = stringClaim(claims.email);
  return {
    subject,
    email,
    emailVerified: email !== null && claimIsTrue(claims.email_verified),
    displayName: stringClaim(claims.name) ?? stringClaim(claims.preferred_username),
  };
}
