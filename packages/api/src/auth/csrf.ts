// Cross-site request forgery defence for cookie-authenticated routes.
// - A state-changing request (anything but GET/HEAD/OPTIONS) must carry an Origin header naming
//   this site: one of the configured public origins, or the Host it was sent to.
// - Any request a browser marks `Sec-Fetch-Site: cross-site` is refused outright, which also
//   covers the GET used by SSE subscriptions.
// Together with SameSite=Lax cookies this is the layered check lucia-auth.com recommends.

export interface OriginCheckInput {
  method: string;
  origin: string | undefined;
  host: string | undefined;
  secFetchSite: string | undefined;
  trustedOrigins: readonly string[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isTrustedRequestOrigin(input: OriginCheckInput): boolean {
  if (input.secFetchSite === 'cross-site') return false;
  if (SAFE_METHODS.has(input.method.toUpperCase())) return true;
  if (!input.origin) return false;
  let origin: URL;
  try {
    origin = new URL(input.origin);
  } catch {
    return false;
  }
  if (input.trustedOrigins.includes(origin.origin)) return true;
  return input.host !== undefined && origin.host === input.host;
}
