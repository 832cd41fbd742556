/**
 * A link into the SPA for a mail: `<base><path>?<param>=<value>`. `baseUrl` is PUBLIC_URL, else the
 * request's checked origin (never a Host header taken on trust).
 */
export function appLink(baseUrl: string, path: string, param: string, value: string): string {
  const url = new URL(path, baseUrl);
  url.searchParams.set(param, value);
  return url.href;
}
