/**
 * A link into the SPA for a mail: `<base><path>`, with `query` as its search parameters.
 * `baseUrl` is PUBLIC_URL, else the request's checked origin (never a Host header taken on trust).
 */
export function appLink(baseUrl: string, path: string, query: Record<string, string> = {}): string {
  const url = new URL(path, baseUrl);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.href;
}
