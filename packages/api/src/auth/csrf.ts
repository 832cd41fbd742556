// Cross-site request forgery defence for cookie-authenticated routes.
// - A state-changing request (anything but GET/HEAD/OPTIONS) must carry an Origin header naming
//   this site: one of the configured public origins, or the Host it was sent to.
// - Any request a browser marks `Sec-Fetch-Site: cross-site` is refused outright.
// - A subscription start is a GET that can spend money (chat.stream admits and charges a chat), and
//   SameSite=Lax sends the cookie on top-level navigations from a sibling site or a link opened
//   from elsewhere. So when the browser says where it comes from (`Sec-Fetch-Site` present), a
//   subscription must come from this very origin — or carry an Origin naming a trusted one (a
//   cross-origin EventSource sends Origin; a navigation never does). Every browser that can run the
//   SPA sends Fetch Metadata; a request without it is not from a browser (a script, the CLI, curl),
//   which cannot be made to carry the user's cookie by another site, so it is let through.
// Together with SameSite=Lax cookies this is the layered check lucia-auth.com recommends.
// See docs/decisions/003-csrf-origin-check.md.

export interface OriginCheckInput {
  method: string;
  origin: string | undefined;
  host: string | undefined;
  secFetchSite: string | undefined;
  trustedOrigins: readonly string[];
  /** The request starts a subscription (SSE over GET). */
  subscription?: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isTrustedRequestOrigin(input: OriginCheckInput): boolean {
  if (input.secFetchSite === 'cross-site') return false;
  if (
    input.subscription &&
    input.secFetchSite !== undefined &&
    input.secFetchSite !== 'same-origin'
  )
    return namesThisSite(input);
  if (SAFE_METHODS.has(input.method.toUpperCase())) return true;
  return namesThisSite(input);
}

/** The Origin header is present and names one of the configured origins or the Host. */
function namesThisSite(input: OriginCheckInput): boolean {
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
