// Request ids are chosen by clients (the SPA's random ids, a /v1 caller's X-Request-Id), so they are
// only unique per user: one user's id, however predictable, must never collide with another's.
// Everything held or stored under a request id — the reservation, its charge, the stored answer,
// the live answer a reconnect attaches to — is keyed by this user-scoped form instead, which keeps
// the existing unique columns (no migration) and makes a cross-user collision impossible by
// construction. Clients only ever see their own id.

/** The key a user's request id is stored and held under. User ids are base32: they hold no `:`. */
export function requestKey(userId: string, requestId: string): string {
  return `${userId}:${requestId}`;
}

/** The client's own id back from a stored key (rows from before scoping are returned as they are). */
export function clientRequestId(userId: string, key: string): string {
  const prefix = `${userId}:`;
  return key.startsWith(prefix) ? key.slice(prefix.length) : key;
}
