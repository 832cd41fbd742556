/** Where links in mails point: PUBLIC_URL, else the request's checked origin, else localhost. */
export function linkBase(ctx: {
  publicOrigin?: string;
  request: { origin?: string | null };
}): string {
  return ctx.publicOrigin ?? ctx.request.origin ?? 'http://localhost:3000';
}
