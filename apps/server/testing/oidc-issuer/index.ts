// A real OpenID Provider on loopback for tests: the `oidc-provider` package (a certified
// implementation), with one confidential client and tiny login and consent pages of our own (its
// built-in development pages load a web font from the internet). Signing in takes any account name
// the test put in `accounts`; the claims come from there.
//
// The server listens before the provider exists, so a test can start Tessera with the issuer URL
// first and register the client with Tessera's real callback URL after.
/// <reference path="./oidc-provider.d.ts" />
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestIssuer {
  /** `http://127.0.0.1:<port>`, the OIDC_ISSUER to give Tessera. */
  readonly issuer: string;
  /** Account name (the `sub`) → claims. Tests add and change them at will. */
  readonly accounts: Map<string, TestAccount>;
  /** Registers the client; call once Tessera's callback URL is known. */
  configure(client: { clientId: string; clientSecret: string; redirectUris: string[] }): void;
  /**
   * Rewrites the ID token in the token endpoint's answers (an attacker on the way, or a broken
   * issuer); null = answers as issued.
   */
  tamperIdToken: ((idToken: string) => string) | null;
  /** How many discovery documents were served (to prove nothing is fetched unless configured). */
  readonly discoveryRequests: number;
  close(): Promise<void>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, title: string, body: string) {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
      `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
  );
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const accounts = new Map<string, TestAccount>();
  let provider: Provider | null = null;
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  let discoveryRequests = 0;

  async function interaction(req: IncomingMessage, res: ServerResponse, path: string) {
    if (!provider) throw new Error('issuer not configured');
    const [uid = '', action] = path.slice('/interaction/'.length).split('/');
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (req.method === 'GET' && !action) {
      if (details.prompt.name === 'login') {
        return page(
          res,
          'Test issuer sign-in',
          `<form method="post" action="/interaction/${escapeHtml(uid)}/login">` +
            '<label>Account <input name="login" autofocus required></label>' +
            '<button type="submit">Sign in</button></form>',
        );
      }
      return page(
        res,
        'Authorize Tessera',
        `<p>Tessera asks for your ${escapeHtml(String(details.params.scope ?? ''))}.</p>` +
          `<form method="post" action="/interaction/${escapeHtml(uid)}/confirm">` +
          '<button type="submit">Continue</button></form>',
      );
    }
    if (req.method === 'POST' && action === 'login') {
      const login = (await formBody(req)).get('login') ?? '';
      if (!accounts.has(login)) {
        return page(res, 'Test issuer sign-in', '<p role="alert">No such account.</p>');
      }
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: login } },
        { mergeWithLastSubmission: false },
      );
    }
    if (req.method === 'POST' && action === 'confirm') {
      const accountId = details.session?.accountId;
      if (!accountId) throw new Error('consent without a signed-in account');
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId, clientId: details.params.client_id });
      if (!grant) throw new Error('grant not found');
      const missing = details.prompt.details;
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      return provider.interactionFinished(
        req,
        res,
        { consent: { grantId: await grant.save() } },
        { mergeWithLastSubmission: true },
      );
    }
    res.writeHead(404).end();
  }

  const issuerState = { tamperIdToken: null as ((idToken: string) => string) | null };

  /** Swaps the ID token in a token response as it leaves (koa sets headers, then calls end). */
  function tamperTokenResponse(res: ServerResponse, tamper: (idToken: string) => string) {
    const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
    res.end = ((chunk?: unknown) => {
      if (!chunk || res.statusCode !== 200) return end(chunk);
      const body = JSON.parse(String(chunk)) as { id_token?: string };
      if (body.id_token) body.id_token = tamper(body.id_token);
      const out = JSON.stringify(body);
      res.setHeader('content-length', Buffer.byteLength(out));
      return end(out);
    }) as ServerResponse['end'];
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/token' && issuerState.tamperIdToken)
      tamperTokenResponse(res, issuerState.tamperIdToken);
    if (path === '/.well-known/openid-configuration') discoveryRequests += 1;
    if (path.startsWith('/interaction/')) {
      interaction(req, res, path).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
      return;
    }
    if (!handle) return void res.writeHead(503).end('issuer not configured');
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    accounts,
    get tamperIdToken() {
      return issuerState.tamperIdToken;
    },
    set tamperIdToken(tamper) {
      issuerState.tamperIdToken = tamper;
    },
    get discoveryRequests() {
      return discoveryRequests;
    },
    configure(client) {
      provider = new Provider(issuer, {
        clients: [
          {
            client_id: client.clientId,
            client_secret: client.clientSecret,
            redirect_uris: client.redirectUris,
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
        async findAccount(_ctx: unknown, id: string) {
          const account = accounts.get(id);
          if (!account) return undefined;
          return { accountId: id, claims: async () => ({ sub: id, ...account }) };
        },
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        scopes: ['openid', 'email', 'profile'],
        features: { devInteractions: { enabled: false } },
        interactions: {
          url: (_ctx: unknown, i: { uid: string }) => `/interaction/${i.uid}`,
        },
        cookies: { keys: ['tessera-test-issuer-cookie-key'] },
        ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
        // PKCE on every authorization, as a strict production issuer would demand.
        pkce: { required: () => true },
      });
      handle = provider.callback();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
