// Every route the server answers. app.ts dispatches through this table (a handler per key, checked
// by TypeScript) and the security suite enumerates it, so a route cannot be added without the
// suite asking for its case. `:procedure` is the rest of the path; `/*` is anything else (the SPA).
export const routes = [
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/trpc/:procedure' }, // queries, and subscriptions over SSE
  { method: 'POST', path: '/trpc/:procedure' }, // mutations
  { method: 'GET', path: '/v1/models' },
  { method: 'POST', path: '/v1/chat/completions' },
  // CORS preflights of browser clients (V1_CORS_ORIGINS); never authenticated, never a cookie.
  { method: 'OPTIONS', path: '/v1/models' },
  { method: 'OPTIONS', path: '/v1/chat/completions' },
  { method: 'POST', path: '/api/stripe/webhook' }, // signed by Stripe; no session, no origin
  // Single sign-on (decision 023): top-level navigations, so GET; the state cookie is the check.
  { method: 'GET', path: '/api/auth/sso/oidc/start' },
  { method: 'GET', path: '/api/auth/sso/oidc/callback' },
  { method: 'GET', path: '/api/auth/sso/github/start' },
  { method: 'GET', path: '/api/auth/sso/github/callback' },
  { method: 'GET', path: '/*' }, // the built SPA and its assets
] as const;

type Route = (typeof routes)[number];
// Distributes over the union (R is a type parameter): one key per route, not every method × path.
type KeyOf<R> = R extends { method: infer M extends string; path: infer P extends string }
  ? `${M} ${P}`
  : never;
export type RouteKey = KeyOf<Route>;

export const routeKey = (route: Route) => `${route.method} ${route.path}` as RouteKey;

/** Paths that belong to an API: the SPA's catch-all never answers under them. */
const API_PREFIXES = ['/trpc/', '/v1/', '/api/'];

function pathMatches(pattern: string, pathname: string): boolean {
  if (pattern === '/*')
    return !API_PREFIXES.some((p) => pathname.startsWith(p) || pathname === p.slice(0, -1));
  if (pattern.endsWith('/:procedure')) {
    const prefix = pattern.slice(0, -':procedure'.length);
    return pathname.startsWith(prefix) && pathname.length > prefix.length;
  }
  // `/v1/models/` is `/v1/models`, as OpenAI clients sometimes send it.
  return pathname === pattern || pathname === `${pattern}/`;
}

/**
 * The route for a request, or why there is none: `405` when the path exists for another method
 * (with those methods), `404` otherwise. HEAD is answered as GET.
 */
export function matchRoute(
  method: string,
  pathname: string,
): { key: RouteKey } | { status: 404 } | { status: 405; allow: string[] } {
  const wanted = method === 'HEAD' ? 'GET' : method;
  const onPath = routes.filter((route) => pathMatches(route.path, pathname));
  const route = onPath.find((r) => r.method === wanted);
  if (route) return { key: routeKey(route) };
  if (onPath.length === 0) return { status: 404 };
  return { status: 405, allow: [...new Set(onPath.map((r) => r.method))] };
}
